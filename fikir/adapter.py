"""The contract every channel adapter fits, kept below the web package so adapters never import it.

An adapter module offers `router()` (its webhook routes, always mounted: they answer 404 when
the channel is not configured), `lifecycle(runtime)` (an async context manager that starts its
polling loop and outbox worker when credentials are set, and stops them) and `status(settings)`
(what /healthz says about it). The web package only assembles the list (fikir.web.channels).
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Annotated, Protocol

from fastapi import APIRouter, Depends, Request

from fikir.config.settings import Settings
from fikir.runtime import Runtime


class ChannelModule(Protocol):
    def router(self) -> APIRouter: ...

    def lifecycle(self, runtime: Runtime) -> AbstractAsyncContextManager[None]: ...

    def status(self, settings: Settings) -> dict[str, str]: ...


async def get_runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency in a worker thread, a hop on every request.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
