"""`fikir run`: migrate the embedded store if needed, then serve under uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from fikir.config.settings import Settings
from fikir.privacy import logfilter
from fikir.storage.engine import is_sqlite
from fikir.storage.migrate import upgrade
from fikir.web.app import create_app

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    url = settings.effective_database_url
    if is_sqlite(url):
        # One machine, one file: keeping it current is part of starting. PostgreSQL deployments
        # run `fikir db upgrade` once per release instead, so instances never race a migration.
        upgrade(url)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    logfilter.attach(logging.getLogger("uvicorn.error"))
    server.run()
