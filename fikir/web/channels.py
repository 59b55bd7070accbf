"""The channel adapters, listed explicitly (no registration by import side effect).

Each adapter module offers `router()` (its webhook routes, always mounted: they answer 404
when the channel is not configured) and `lifecycle(runtime)` (an async context manager that
starts its polling loop and outbox worker when credentials are set, and stops them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from types import ModuleType
from typing import Protocol, cast

from fastapi import APIRouter

from fikir.bot import channel as telegram
from fikir.runtime import Runtime
from fikir.safety.mail import running_email
from fikir.sms import gateway_channel, twilio_channel


class ChannelModule(Protocol):
    def router(self) -> APIRouter: ...

    def lifecycle(self, runtime: Runtime) -> AbstractAsyncContextManager[None]: ...


ADAPTERS: tuple[ModuleType, ...] = (telegram, twilio_channel, gateway_channel)


def adapters() -> list[ChannelModule]:
    return [cast(ChannelModule, module) for module in ADAPTERS]


@asynccontextmanager
async def running_channels(runtime: Runtime) -> AsyncIterator[None]:
    """Start every configured channel, and stop them all on the way out."""
    async with AsyncExitStack() as stack:
        for adapter in adapters():
            await stack.enter_async_context(adapter.lifecycle(runtime))
        # Duty alerts by e-mail leave through the outbox too (fikir.safety.mail).
        await stack.enter_async_context(running_email(runtime))
        yield
