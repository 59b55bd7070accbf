"""The public web channel: /say in any browser, no account, no script needed, no IP kept.

Like every adapter it fits fikir.adapter.ChannelModule: its routes, a lifecycle (nothing runs
in the background: a browser cannot be written to first) and what /healthz says about it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter

from fikir.config.settings import Settings
from fikir.runtime import Runtime
from fikir.web.say import poster, routes
from fikir.web.say.state import release


def router() -> APIRouter:
    routes_ = APIRouter()
    routes_.include_router(routes.router)
    routes_.include_router(poster.router)
    return routes_


def status(settings: Settings) -> dict[str, str]:
    """The web channel is always on; the poster says which other ways in are configured."""
    return {routes.CHANNEL: "on (/say)"}


@asynccontextmanager
async def lifecycle(runtime: Runtime) -> AsyncIterator[None]:
    """Nothing to start; the in-memory counts of the abuse guard go with the service."""
    try:
        yield
    finally:
        release(runtime)
