"""One /say page as HTML: under 50 kB, no external asset, readable at 320 px, no script needed.

The style and the proof-of-work script are inline and allowed by their hashes in this page's
own Content-Security-Policy, so nothing else inline can run; the cookie holds only the
conversation's random id.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from fikir.config.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES
from fikir.dialog.messages import Choice, Reply
from fikir.web.admin.templating import render
from fikir.web.say.guard import WORK_BITS

HERE = Path(__file__).resolve().parent
COOKIE = "fikir_say"
COOKIE_SECONDS = 2 * 3600


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    """The inline style and script, and the CSP that admits exactly these two."""
    css = (HERE / "say.css").read_text(encoding="utf-8")
    script = (HERE / "work.js").read_text(encoding="utf-8")

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    csp = (
        f"default-src 'none'; style-src 'sha256-{digest(css)}'; "
        f"script-src 'sha256-{digest(script)}'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )
    return css, script, csp


def language(request: Request, asked: str) -> str:
    """?lang= when fikir speaks it, else the browser's first language it speaks, else the default."""
    if asked in LANGUAGE_CODES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGE_CODES:
            return code
    return DEFAULT_LANGUAGE


@dataclass
class Form:
    """What the next form carries: its tokens, and the text to give back after a refusal."""

    csrf: str
    submission: str
    lang: str
    challenge: str = ""
    text: str = ""
    choices: tuple[Choice, ...] = field(default=())


@dataclass
class Page:
    """A /say page: the exchange so far (this form's replies) or a notice, and the next form."""

    lang: str
    form: Form
    replies: list[Reply] = field(default_factory=list)
    notice: str = ""
    mine: str = ""
    status: int = 200
    start: bool = False

    def response(self, session: str, secure: bool) -> Response:
        css, script, csp = _assets()
        html = render(
            "say/page.html",
            self.lang,
            {
                "css": Markup(css),  # noqa: S704 - our own file, admitted by its hash
                "script": Markup(script) if self.form.challenge else "",  # noqa: S704
                "page": self,
                "form": self.form,
                "bits": WORK_BITS,
                "languages": LANGUAGE_CODES,
            },
        )
        response = HTMLResponse(html, status_code=self.status)
        response.headers["Content-Security-Policy"] = csp
        response.headers["Cache-Control"] = "no-store"
        if self.status == 429:
            response.headers["Retry-After"] = "60"
        set_cookie(response, session, secure)
        return response


def set_cookie(response: Response, session: str, secure: bool) -> None:
    """The conversation's id, for two hours after the last page (each page renews it)."""
    response.set_cookie(
        COOKIE,
        session,
        max_age=COOKIE_SECONDS,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/say",
    )
