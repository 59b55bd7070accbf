"""GET /say/poster.pdf: a printable A4 poster per language for notice boards and schools.

A QR code leads to /say in that language; the Telegram bot and the SMS keyword and number are
printed when they are configured (FIKIR_TELEGRAM_BOT_USERNAME, FIKIR_SMS_NUMBER). Posters are
made once per language and configuration and then served from memory.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from urllib.parse import urlencode

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response

from fikir.adapter import RuntimeDep
from fikir.config.markers import N_
from fikir.digest.render import pdf_bytes
from fikir.i18n import translate
from fikir.web.admin.templating import render
from fikir.web.say.page import language

# The word people text to subscribe, in each language (one fikir.dialog.keywords knows).
JOIN = N_("JOIN")

router = APIRouter(tags=["say"])


def _qr(url: str) -> str:
    """The URL as a QR code, an SVG data URI (medium error correction survives a worn print)."""
    uri: str = segno.make(url, error="m").svg_data_uri(border=2, dark="#000", light="#fff")
    return uri


@lru_cache(maxsize=32)
def poster(lang: str, base_url: str, bot: str, number: str) -> bytes:
    """The poster's PDF for one language and configuration (blocking; cached)."""
    web = f"{base_url}/say?{urlencode({'lang': lang})}"
    telegram = f"https://t.me/{bot}" if bot else ""
    html = render(
        "say/poster.html",
        lang,
        {
            "web": web,
            "web_qr": _qr(web),
            "bot_link": telegram,
            "bot_qr": _qr(telegram) if telegram else "",
            "number": number,
            "keyword": translate(lang, JOIN),
        },
    )
    return pdf_bytes(html)


@router.get("/say/poster.pdf")
async def poster_pdf(request: Request, runtime: RuntimeDep, lang: str = "") -> Response:
    chosen = language(request, lang)
    settings = runtime.settings
    base = settings.public_url or str(request.base_url).rstrip("/")
    pdf = await asyncio.to_thread(
        poster, chosen, base, settings.telegram_bot_username, settings.sms_number
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="fikir-poster-{chosen}.pdf"',
            "Cache-Control": "public, max-age=3600",
        },
    )
