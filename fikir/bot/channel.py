"""The Telegram channel's contract with the service: its webhook route and its lifecycle.

Polling when FIKIR_TELEGRAM_WEBHOOK_URL is unset; otherwise Telegram posts to
/webhooks/telegram with the secret token. aiogram takes seconds to import, so it is loaded
only when a token is set: a service without Telegram starts without it.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from fastapi import APIRouter, Request, Response

from fikir.adapter import RuntimeDep
from fikir.config.channels import TELEGRAM
from fikir.config.settings import Settings
from fikir.runtime import Runtime
from fikir.untrusted import json_too_deep

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_UPDATE_BYTES = 1_000_000


class Receiver(Protocol):
    """A started channel, as its webhook route sees it."""

    webhook_secret: str | None

    async def receive(self, body: bytes) -> int:
        """Apply one posted update; the HTTP status to answer once it is stored."""
        ...


# Started channels by runtime: the route is mounted before the lifecycle runs, so it looks here.
_running: dict[int, Receiver] = {}


def router() -> APIRouter:
    routes = APIRouter()
    routes.add_api_route(WEBHOOK_PATH, telegram_webhook, methods=["POST"], include_in_schema=False)
    return routes


async def telegram_webhook(request: Request, runtime: RuntimeDep) -> Response:
    """Telegram's POST: the secret header first, then the update, answered once it is stored."""
    running = _running.get(id(runtime))
    if running is None or running.webhook_secret is None:
        return Response(status_code=404)
    given = request.headers.get(SECRET_HEADER)
    if not given:
        return Response(status_code=401)
    if not hmac.compare_digest(given.encode(), running.webhook_secret.encode()):
        log.warning("refused a Telegram webhook call with a wrong secret token")
        return Response(status_code=403)
    body = await request.body()
    if len(body) > MAX_UPDATE_BYTES:
        return Response(status_code=413)
    if json_too_deep(body):  # json.loads would raise RecursionError: a 500
        return Response(status_code=400)
    return Response(status_code=await running.receive(body))


@asynccontextmanager
async def lifecycle(runtime: Runtime) -> AsyncIterator[None]:
    """Start the outbox worker and polling (or the webhook) when a token is set; stop them."""
    if not runtime.settings.telegram_enabled:
        yield
        return
    from fikir.bot.service import running_channel

    async with running_channel(runtime) as channel:
        _running[id(runtime)] = channel
        try:
            yield
        finally:
            _running.pop(id(runtime), None)


def status(settings: Settings) -> dict[str, str]:
    """What /healthz says before the bot starts (the service refines it once it runs)."""
    return {
        TELEGRAM.name: "on" if settings.telegram_enabled else "off (FIKIR_TELEGRAM_TOKEN not set)"
    }
