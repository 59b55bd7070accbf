"""INSERT … ON CONFLICT DO NOTHING on either database, for writes that must happen at most once.

Used where many rows go in together (a batch of inbound events, a poll to 100,000 people): one
statement per chunk instead of a lookup and an insert per row, and a duplicate key is skipped
by the database itself, which also settles races between instances.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

CHUNK = 1000


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for statements without the ORM's per-row bookkeeping."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


async def insert_new(
    session: AsyncSession,
    table: Table,
    rows: Sequence[dict[str, Any]],
    unique: Sequence[str],
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Insert the rows whose `unique` columns are not taken; returns their `returning` values."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=list(unique))
        .returning(*(table.c[name] for name in returning))
    )
    added: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), CHUNK):
        result = await session.exec(statement, params=list(rows[start : start + CHUNK]))
        added.extend(tuple(row) for row in result.all())
    return added
