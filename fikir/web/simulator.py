"""/simulator: staff try every flow in a web chat, as Telegram (buttons) or SMS (numbered text).

It is one more channel ("simulator" or "simulator-sms"): an Inbound in, the engine's Replies
out, rendered the way the real channel would. Each conversation is a fresh random address kept
in the staff member's session cookie, so its pseudonym is like any respondent's.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import JSONResponse, Response

from fikir.config.channels import CHANNELS, channel_of
from fikir.config.languages import LANGUAGE_CODES
from fikir.dialog.messages import Inbound, Reply
from fikir.dialog.render import numbered
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.web.admin.security import Analyst, AnalystPost

router = APIRouter(prefix="/simulator", tags=["simulator"])

# A style for each stand-in channel, named after the family it imitates ("?mode=…").
MODES = {c.imitates: name for name, c in CHANNELS.items() if c.imitates and c.adapter == __name__}
DEFAULT_MODE = next(iter(MODES))


def _shown(reply: Reply, mode: str, transliterate: str) -> dict[str, object]:
    """One bubble: Telegram keeps buttons; SMS gets the exact text and its cost in segments."""
    if channel_of(MODES[mode]).paid:
        text = fit_for_sms(numbered(reply, compact=True), reply.language, transliterate)
        info = count_segments(text)
        return {
            "text": text,
            "choices": [],
            "segments": info.segments,
            "encoding": info.encoding,
        }
    return {
        "text": reply.text,
        "choices": [{"payload": c.payload, "label": c.label} for c in reply.choices],
    }


@router.get("")
async def simulator_page(visit: Analyst, mode: str = DEFAULT_MODE, lang: str = "") -> Response:
    return visit.page(
        "simulator.html",
        mode=mode if mode in MODES else DEFAULT_MODE,
        hint=lang if lang in LANGUAGE_CODES else "",
        languages=LANGUAGE_CODES,
        exchange=[],
    )


@router.post("/send")
async def simulator_send(
    visit: AnalystPost,
    mode: Annotated[str, Form(max_length=16)] = DEFAULT_MODE,
    text: Annotated[str, Form(max_length=5000)] = "",
    payload: Annotated[str, Form(max_length=100)] = "",
    lang: Annotated[str, Form(max_length=8)] = "",
    restart: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    """Send one message (or press one button); JSON for the page's script, HTML without it."""
    mode = mode if mode in MODES else DEFAULT_MODE
    hint = lang if lang in LANGUAGE_CODES else None
    address = visit.sim
    if restart == "1" or not address:
        address = "sim-" + secrets.token_hex(8)
        visit.set_simulator_address(address)
    if restart == "1" and not text and not payload and channel_of(MODES[mode]).buttons:
        text = "/start"
    replies: tuple[Reply, ...] = ()
    if text or payload:
        inbound = Inbound(
            channel=MODES[mode],
            address=address,
            text=text or None,
            payload=payload or None,
            language_hint=hint,
        )
        replies = (await visit.runtime.engine.handle(inbound)).replies
    transliterate = visit.runtime.settings.sms_transliterate
    shown = [_shown(reply, mode, transliterate) for reply in replies]
    if "application/json" in visit.request.headers.get("accept", ""):
        return visit.finish(JSONResponse({"replies": shown}))
    return visit.page(
        "simulator.html",
        mode=mode,
        hint=hint or "",
        languages=LANGUAGE_CODES,
        exchange=[{"mine": True, "text": text or payload}] if text or payload else [],
        replies=shown,
    )


def status() -> dict[str, str]:
    """The simulator is always there for staff."""
    return {"simulator": "on"}
