"""Alembic environment: runs migrations on the URL `fikir db upgrade` passes in."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel

from fikir.storage import (  # noqa: F401  (register the tables on the metadata)
    alert_tables,
    digest_edits,
    language_tables,
    models,
    opinion_tables,
    safety_tables,
    survey_tables,
)
from fikir.storage.engine import create_sync_db_engine

config = context.config


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Migrations spell the aware timestamp as a plain DateTime(timezone=True)."""
    if type_ == "type" and isinstance(obj, models.AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


target_metadata = SQLModel.metadata


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """APScheduler keeps its own job table in the same database; it is not ours to migrate."""
    return not (type_ == "table" and name == "apscheduler_jobs")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None  # noqa: S101 - set by fikir.storage.migrate
    engine = create_sync_db_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
