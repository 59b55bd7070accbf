"""Channel adapter (to be built by its issue): webhook routes and a lifecycle."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter

from fikir.runtime import Runtime


def router() -> APIRouter:
    return APIRouter()


@asynccontextmanager
async def lifecycle(runtime: Runtime) -> AsyncIterator[None]:
    yield
