"""A browser without JavaScript, for /say: it reads the page's forms and posts them as they are.

No helper here knows fikir's internals: it sees what a cheap phone's browser sees (HTML, one
cookie) and sends what such a browser sends; the proof of work is solved as the page's script
would solve it.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from fikir.i18n import translate
from fikir.storage.engine import create_async_db_engine, make_sessionmaker

_FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
_BUTTON = re.compile(r'<button name="payload" value="([^"]*)">([^<]*)</button>')
_MSG = re.compile(r'<p class="msg( alert)?"[^>]*>(.*?)</p>', re.S)


@dataclass
class Page:
    """One /say page as a browser without script sees it."""

    status: int
    text: str
    size: int
    headers: httpx.Headers

    @property
    def messages(self) -> list[str]:
        return [html.unescape(body) for _, body in _MSG.findall(self.text)]

    @property
    def notice(self) -> str:
        return next((html.unescape(body) for alert, body in _MSG.findall(self.text) if alert), "")

    @property
    def buttons(self) -> dict[str, str]:
        """Button label → payload."""
        return {html.unescape(label): value for value, label in _BUTTON.findall(self.text)}

    def hidden(self) -> dict[str, str]:
        form = _FORM.search(self.text)
        assert form is not None, self.text[:2000]
        return {name: html.unescape(value) for name, value in _HIDDEN.findall(form.group(1))}


def solve(challenge: str, bits: int = 16) -> str:
    """What the page's script does: the first nonce whose hash starts with `bits` zero bits."""
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if int.from_bytes(digest[:4], "big") >> (32 - bits) == 0:
            return str(nonce)
        nonce += 1


@dataclass
class NoScriptBrowser:
    """One visitor: its own cookie jar, coming from `ip` (the proxy's X-Forwarded-For)."""

    base: str
    ip: str
    client: httpx.AsyncClient = field(init=False)
    page: Page | None = None

    def __post_init__(self) -> None:
        self.client = httpx.AsyncClient(
            base_url=self.base, headers={"X-Forwarded-For": self.ip}, timeout=30
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    session: str = ""

    def _keep(self, response: httpx.Response) -> None:
        # The cookie is Secure (FIKIR_PUBLIC_URL is https://, TLS ends at the proxy), and this
        # loopback is plain http: keep it as the browser behind that proxy would.
        found = re.match(r"fikir_say=([^;]*)", response.headers.get("set-cookie", ""))
        if found:
            self.session = found.group(1)

    def _cookie(self) -> dict[str, str]:
        return {"cookie": f"fikir_say={self.session}"} if self.session else {}

    def forget_cookie(self) -> None:
        self.session = ""

    async def get(self, path: str) -> httpx.Response:
        response = await self.client.get(path, headers=self._cookie())
        self._keep(response)
        return response

    async def send(self, fields: dict[str, str]) -> httpx.Response:
        response = await self.client.post("/say", data=fields, headers=self._cookie())
        self._keep(response)
        return response

    async def open(self, path: str) -> Page:
        response = await self.get(path)
        self.page = Page(
            response.status_code, response.text, len(response.content), response.headers
        )
        return self.page

    async def post(self, fields: dict[str, str]) -> Page:
        """Send a form; follow the redirect as a browser does (the page it lands on)."""
        response = await self.send(fields)
        if response.status_code == 303:
            return await self.open(response.headers["location"])
        self.page = Page(
            response.status_code, response.text, len(response.content), response.headers
        )
        return self.page

    def form(self, work: bool = True, **values: str) -> dict[str, str]:
        assert self.page is not None
        fields = self.page.hidden() | values
        if work and fields.get("pow"):
            fields["nonce"] = solve(fields["pow"])
        return fields

    async def press(self, label: str) -> Page:
        assert self.page is not None
        buttons = self.page.buttons
        assert label in buttons, (label, buttons, self.page.messages)
        return await self.post(self.form(payload=buttons[label]))

    async def write(self, text: str) -> Page:
        return await self.post(self.form(text=text))


def clear_of_window_edge(margin: float = 30.0) -> None:
    """Counts start again every 10 minutes (fikir.web.say.guard): start a count well inside one."""
    from fikir.web.say.guard import WINDOW_SECONDS

    left = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
    if left < margin:
        time.sleep(left + 1)


def said(page: Page, lang: str, msgid: str) -> bool:
    head = translate(lang, msgid).split("{")[0][:40]
    return any(head in message for message in page.messages)


async def open_poll_for_everyone(database_url: str, secret: str, slug: str) -> None:
    """A poll open to all, as staff would open it (for the web's poll answers)."""
    from fikir.config.settings import load_settings
    from fikir.dialog.outreach import open_poll
    from fikir.polls.manage import PollSpec, create_poll

    languages = ("az", "ru", "en", "tly", "lez", "ka", "uk")
    spec = PollSpec(
        slug=slug,
        question=dict.fromkeys(languages, "Is there enough water in your village?"),
        options=(dict.fromkeys(languages, "Enough"), dict.fromkeys(languages, "Not enough")),
    )
    settings = load_settings(database_url=database_url, secret_key=secret)
    db = create_async_db_engine(database_url)
    try:
        async with make_sessionmaker(db)() as session, session.begin():
            await create_poll(session, spec)
            await open_poll(session, slug, settings, datetime.now(UTC))
    finally:
        await db.dispose()


def database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'fikir.db'}"
