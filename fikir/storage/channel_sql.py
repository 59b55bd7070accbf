"""Channel families in SQL, from the registry (no `like 'sms%'` that a new channel would miss)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, case, literal
from sqlalchemy.sql.elements import ColumnElement

from fikir.config.channels import CHANNELS, FAMILIES, members


def family_sql(column: Any) -> ColumnElement[str]:
    """The family of a stored channel name: one value for every provider of one channel."""
    shared = [
        (column.in_(members(family)), literal(family, String))
        for family in FAMILIES
        if members(family) != (family,)
    ]
    if not shared:
        return column  # type: ignore[no-any-return]
    return case(*shared, else_=column)


def in_family(column: Any, family: str) -> ColumnElement[bool]:
    """Rows stored under any name of `family` (or under `family` itself if it is unregistered)."""
    names = members(family) or (family,)
    return column.in_(names)  # type: ignore[no-any-return]


def registered(column: Any) -> ColumnElement[bool]:
    """Rows of a channel the registry knows."""
    return column.in_(tuple(CHANNELS))  # type: ignore[no-any-return]
