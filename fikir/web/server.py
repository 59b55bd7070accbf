"""`fikir run`: migrate the embedded store if needed, then serve under uvicorn."""

from __future__ import annotations

import logging

import uvicorn
from fastapi import FastAPI

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
    server = uvicorn.Server(server_config(settings, create_app(settings)))
    logfilter.attach(logging.getLogger("uvicorn.error"))
    server.run()


def server_config(settings: Settings, app: FastAPI) -> uvicorn.Config:
    """How fikir is served; the client address (X-Forwarded-For) is taken from trusted proxies."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        lifespan="on",
    )
