"""The WhatsApp channel's contract with the service: its Twilio webhook and its outbox worker.

Twilio posts WhatsApp messages to /webhooks/twilio/whatsapp (a `whatsapp:` sender reaching the
SMS webhook is handed here too); the signature is checked first, as for SMS.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Request, Response

from fikir.adapter import RuntimeDep
from fikir.config.settings import Settings
from fikir.outbox.running import running
from fikir.outbox.worker import OutboxWorker, WorkerConfig
from fikir.runtime import Runtime
from fikir.sms.twilio_channel import verified_form
from fikir.whatsapp.address import CHANNEL
from fikir.whatsapp.sender import build_sender
from fikir.whatsapp.webhook import answer

log = logging.getLogger(__name__)

WHATSAPP_PATH = "/webhooks/twilio/whatsapp"


def router() -> APIRouter:
    routes = APIRouter()

    @routes.post(WHATSAPP_PATH)
    async def twilio_whatsapp(request: Request, runtime: RuntimeDep) -> Response:
        form = await verified_form(runtime, request)
        return await answer(runtime, form)

    return routes


def status(settings: Settings) -> dict[str, str]:
    """What /healthz says about WhatsApp."""
    if settings.whatsapp_enabled:
        templates = ", ".join(sorted(settings.whatsapp_templates)) or "none"
        return {CHANNEL: f"on (templates: {templates})"}
    return {CHANNEL: "off (TWILIO_ACCOUNT_SID or FIKIR_WHATSAPP_FROM not set)"}


@asynccontextmanager
async def lifecycle(runtime: Runtime) -> AsyncIterator[None]:
    """Send queued WhatsApp messages while the service runs, when WhatsApp is configured."""
    sender = build_sender(runtime.settings, runtime.sessions)
    if sender is None:
        yield
        return
    rate = runtime.settings.whatsapp_rate
    config = WorkerConfig(rate=rate, batch=max(1, min(100, int(rate * 2))), idle_poll=0.2)
    worker = OutboxWorker(
        runtime.sessions, runtime.services.vault, sender, config, runtime.instance, runtime.metrics
    )
    try:
        async with running(worker, runtime.outbox_wakers, "whatsapp"):
            yield
    finally:
        await sender.aclose()
