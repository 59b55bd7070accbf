"""Database engines and sessions: async for the service, sync for migrations and tooling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import create_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SessionMaker = async_sessionmaker[AsyncSession]
# FULL: a commit returns once the WAL is fsynced, so an acknowledged message survives a power
# cut. NORMAL (WAL) survives a crash of fikir, not of the machine.
Synchronous = Literal["full", "normal"]
DEFAULT_SYNCHRONOUS: Synchronous = "full"


def _normalise(url: str, *, asynchronous: bool) -> URL:
    """Map a plain URL (sqlite:///…, postgresql://…) onto the drivers fikir ships."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite" if asynchronous else "sqlite")
    if backend in {"postgresql", "postgres"}:
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(
        f"FIKIR_DATABASE_URL uses {backend!r}; fikir supports sqlite:/// and postgresql:// URLs"
    )


def is_sqlite(url: str) -> bool:
    """True for the embedded SQLite store."""
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(synchronous: Synchronous) -> Callable[[Any, Any], None]:
    level = "FULL" if synchronous == "full" else "NORMAL"

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets the dashboard read while a webhook writes; busy_timeout rides out short locks.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={level}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return on_connect


def create_async_db_engine(url: str, synchronous: Synchronous = DEFAULT_SYNCHRONOUS) -> AsyncEngine:
    """The service's engine; SQLite gets WAL, a busy timeout and durable commits."""
    target = _normalise(url, asynchronous=True)
    if target.get_backend_name() == "sqlite":
        # Few connections: SQLite has one writer anyway, and sessions queueing in the pool
        # (first come, first served) beat connections sleeping in SQLite's busy handler, which
        # under load starves some of them past any timeout. Not 1: the outbox recovery opens a
        # session inside another (SmsSender.was_sent), which would then wait for itself.
        engine = create_async_engine(
            target, connect_args={"timeout": 30}, pool_size=5, max_overflow=0, pool_timeout=30
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(synchronous))
        return engine
    # A fixed pool: overflow connections are opened and closed per burst, and a PostgreSQL
    # backend costs milliseconds of CPU to start. hide_parameters keeps values out of errors.
    return create_async_engine(
        target,
        pool_size=20,
        max_overflow=0,
        pool_timeout=30,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"connect_timeout": 5},
    )


def create_sync_db_engine(url: str, synchronous: Synchronous = DEFAULT_SYNCHRONOUS) -> Engine:
    """A blocking engine for migrations, benchmarks and command-line tools."""
    target = _normalise(url, asynchronous=False)
    if target.get_backend_name() == "sqlite":
        engine = create_engine(target, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
        return engine
    return create_engine(target, pool_pre_ping=True)


def make_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    """Sessions that keep loaded objects usable after commit (replies are built from them)."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
