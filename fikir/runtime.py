"""The runtime: settings, database, services and the engine, built once and passed explicitly."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from fikir.config.settings import Settings
from fikir.dialog.engine import DialogEngine
from fikir.dialog.services import DutyRoute, Services, default_services
from fikir.metrics import Metrics
from fikir.spool.inbound import InboundSpool
from fikir.storage.engine import SessionMaker, create_async_db_engine, make_sessionmaker


@dataclass
class Runtime:
    """Everything a channel, job or command needs; nothing here is created at import."""

    settings: Settings
    db: AsyncEngine
    sessions: SessionMaker
    services: Services
    engine: DialogEngine
    metrics: Metrics
    spool: InboundSpool
    channel_status: dict[str, str] = field(default_factory=dict)
    instance: str = field(default_factory=lambda: f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}")

    outbox_wakers: list[Callable[[], None]] = field(default_factory=list)

    def wake_outbox(self) -> None:
        """Tell this instance's outbox workers that messages were queued."""
        for wake in self.outbox_wakers:
            wake()

    async def close(self) -> None:
        await self.db.dispose()


def build_runtime(settings: Settings, services: Services | None = None) -> Runtime:
    """Open the database and wire the real services (or the given ones, in tests)."""
    db = create_async_db_engine(settings.effective_database_url, settings.sqlite_synchronous)
    sessions = make_sessionmaker(db)
    duty = DutyRoute(tuple(settings.duty_email_list), settings.public_url)
    services = services or default_services(
        settings.secret, settings.k_anonymity, duty, settings.organisation
    )
    metrics = Metrics()
    return Runtime(
        settings=settings,
        db=db,
        sessions=sessions,
        services=services,
        engine=DialogEngine(sessions, services, metrics),
        metrics=metrics,
        spool=InboundSpool(settings.data_dir / "spool", settings.secret, metrics),
    )
