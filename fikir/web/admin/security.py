"""Staff sessions in signed cookies, CSRF tokens bound to them, and role checks.

The cookie holds a random session id, the staff member's id and a fingerprint of their password
hash; a signed-in session also needs its row in the database (fikir.staff.sessions), so signing
out, a new password, a new role or deactivation ends it on every instance, whatever copies of
the cookie exist. The CSRF token is an HMAC of the session id, so a token is useless with any
other session, and a new session id is issued at every sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from fikir.config.languages import STAFF_LANGUAGES
from fikir.privacy.keys import derive_key
from fikir.runtime import Runtime
from fikir.staff.sessions import end_session, open_session, session_user
from fikir.storage.models import StaffUser
from fikir.web.admin.templating import render
from fikir.web.deps import RuntimeDep

# Row ids in paths: 32-bit, as PostgreSQL stores them, so a huge number is a 422, not a crash.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]

COOKIE = "fikir_session"
MAX_AGE_SECONDS = 12 * 3600
CSRF_FIELD = "csrf_token"
ROLE_RANK = {"viewer": 1, "analyst": 2, "admin": 3}


class LoginRequired(Exception):
    """No signed-in staff member: pages redirect to sign-in, other requests get 401."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class Forbidden(Exception):
    """Signed in, but the role (or a missing CSRF token) does not allow this."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=4)
def _keys(secret: bytes) -> tuple[URLSafeTimedSerializer, bytes]:
    serializer = URLSafeTimedSerializer(
        derive_key(secret, "session").hex(), salt="fikir-staff-session"
    )
    return serializer, derive_key(secret, "csrf")


def password_version(user: StaffUser) -> str:
    """A short fingerprint of the password hash: changing the password ends old sessions."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


@dataclass
class Visit:
    """One request's view of the session: who is signed in, the CSRF token, the language."""

    request: Request
    runtime: Runtime
    sid: str
    user: StaffUser | None
    fresh: bool
    sim: str | None = None

    @property
    def csrf(self) -> str:
        _, key = _keys(self.runtime.settings.secret)
        return hmac.new(key, self.sid.encode(), hashlib.sha256).hexdigest()

    @property
    def lang(self) -> str:
        if self.user is not None and self.user.language in STAFF_LANGUAGES:
            return self.user.language
        return "en"

    @property
    def secure(self) -> bool:
        return self.runtime.settings.public_url.startswith("https://")

    async def sign_in(self, user: StaffUser) -> None:
        """A new session id for the signed-in staff member (no session fixation), recorded."""
        assert user.id is not None  # noqa: S101 - a stored staff member
        sid = secrets.token_urlsafe(24)
        async with self.runtime.sessions() as session, session.begin():
            await open_session(
                session, user.id, sid, datetime.now(UTC), timedelta(seconds=MAX_AGE_SECONDS)
            )
        self.sid = sid
        self.user = user
        self.sim = None
        self.fresh = True

    async def sign_out(self) -> None:
        """End this session in the database, so a copy of the cookie opens nothing any more."""
        async with self.runtime.sessions() as session, session.begin():
            await end_session(session, self.sid)
        self.forget()

    def forget(self) -> None:
        """An anonymous session from now on (a new id, so its CSRF token changes too)."""
        self.sid = secrets.token_urlsafe(24)
        self.user = None
        self.sim = None
        self.fresh = True

    def set_simulator_address(self, address: str | None) -> None:
        self.sim = address
        self.fresh = True

    def finish(self, response: Response, *, private: bool = True) -> Response:
        """Add the session cookie (when it changed); fikir.web.headers adds the security headers."""
        if private:
            response.headers["Cache-Control"] = "no-store"
        if self.fresh:
            serializer, _ = _keys(self.runtime.settings.secret)
            payload: dict[str, Any] = {"sid": self.sid}
            if self.user is not None:
                payload["uid"] = self.user.id
                payload["pv"] = password_version(self.user)
            if self.sim:
                payload["sim"] = self.sim
            response.set_cookie(
                COOKIE,
                serializer.dumps(payload),
                max_age=MAX_AGE_SECONDS,
                httponly=True,
                secure=self.secure,
                samesite="lax",
                path="/",
            )
        return response

    def page(
        self, template: str, status_code: int = 200, *, private: bool = True, **values: Any
    ) -> Response:
        values.setdefault("user", self.user)
        values.setdefault("csrf_token", self.csrf)
        values.setdefault("path", self.request.url.path)
        html = render(template, values.pop("lang", self.lang), values)
        return self.finish(HTMLResponse(html, status_code=status_code), private=private)

    def redirect(self, url: str) -> Response:
        return self.finish(RedirectResponse(url, status_code=303))


async def get_visit(request: Request, runtime: RuntimeDep) -> Visit:
    """Read the session cookie; a missing, forged or expired one starts a fresh anonymous one."""
    serializer, _ = _keys(runtime.settings.secret)
    raw = request.cookies.get(COOKIE, "")
    data: dict[str, Any] = {}
    if raw and len(raw) < 4096:
        try:
            loaded = serializer.loads(raw, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            loaded = None
        if isinstance(loaded, dict):
            data = loaded
    visit = _visit(request, runtime, data)
    request.state.visit = visit
    uid = data.get("uid")
    if isinstance(uid, int) and not visit.fresh:
        async with runtime.sessions() as session:
            user = await session_user(session, visit.sid, uid, datetime.now(UTC))
        if (
            user is not None
            and user.password_hash
            and hmac.compare_digest(str(data.get("pv", "")), password_version(user))
        ):
            visit.user = user
        else:
            visit.forget()
    return visit


def _visit(request: Request, runtime: Runtime, data: dict[str, Any]) -> Visit:
    sid = data.get("sid")
    if not isinstance(sid, str) or not sid:
        return Visit(request, runtime, secrets.token_urlsafe(24), None, fresh=True)
    sim = data.get("sim")
    return Visit(
        request, runtime, sid, None, fresh=False, sim=sim if isinstance(sim, str) else None
    )


VisitDep = Annotated[Visit, Depends(get_visit)]


async def check_csrf(request: Request, visit: VisitDep) -> Visit:
    """Every POST carries the session's token in its form; anything else is refused."""
    content_type = request.headers.get("content-type", "")
    token = ""
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else ""
    # Bytes: compare_digest refuses str with non-ASCII characters (a 500, not a 403).
    given = token.encode("utf-8", "replace")
    if visit.fresh or not token or not hmac.compare_digest(given, visit.csrf.encode()):
        raise Forbidden("csrf")
    return visit


CsrfVisit = Annotated[Visit, Depends(check_csrf)]


def _login_url(request: Request) -> str:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return "/admin/login?next=" + quote(target, safe="")


def require(role: str) -> Any:
    """A dependency: a signed-in staff member with at least this role."""

    async def dependency(visit: VisitDep) -> Visit:
        if visit.user is None:
            raise LoginRequired(_login_url(visit.request))
        if ROLE_RANK.get(visit.user.role, 0) < ROLE_RANK[role]:
            raise Forbidden("role")
        return visit

    return Depends(dependency)


def require_post(role: str) -> Any:
    """A dependency for POSTs: the CSRF token first, then the role."""

    async def dependency(visit: CsrfVisit) -> Visit:
        if visit.user is None:
            raise LoginRequired(_login_url(visit.request))
        if ROLE_RANK.get(visit.user.role, 0) < ROLE_RANK[role]:
            raise Forbidden("role")
        return visit

    return Depends(dependency)


Viewer = Annotated[Visit, require("viewer")]
Analyst = Annotated[Visit, require("analyst")]
Admin = Annotated[Visit, require("admin")]
ViewerPost = Annotated[Visit, require_post("viewer")]
AnalystPost = Annotated[Visit, require_post("analyst")]
AdminPost = Annotated[Visit, require_post("admin")]


def safe_next(url: str | None) -> str:
    """Only our own dashboard or simulator pages, never another site (open redirect)."""
    if (
        url
        and url.startswith(("/admin", "/simulator"))
        and not url.startswith("//")
        and "\\" not in url
        and all(ch.isprintable() for ch in url)
    ):
        return url
    return "/admin/"
