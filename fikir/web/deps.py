"""FastAPI dependencies: the runtime built by create_app, passed explicitly to every route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from fikir.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain `def` dependency in a worker thread, a hop on every request.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
