"""The channel adapters, listed explicitly (no registration by import side effect).

Each adapter fits fikir.adapter.ChannelModule; the web package only assembles them here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from types import ModuleType
from typing import cast

from fikir.adapter import ChannelModule
from fikir.bot import channel as telegram
from fikir.runtime import Runtime
from fikir.safety.mail import running_email
from fikir.sms import gateway_channel, twilio_channel
from fikir.web import say
from fikir.whatsapp import channel as whatsapp

ADAPTERS: tuple[ModuleType, ...] = (telegram, twilio_channel, gateway_channel, whatsapp, say)


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
