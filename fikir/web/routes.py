"""The pages: staff dashboard, public results and simulator, mounted by `create_app`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from fikir.web import admin, public, simulator
from fikir.web.admin.audit import REFUSED, audit
from fikir.web.admin.security import Forbidden, LoginRequired
from fikir.web.admin.templating import STATIC_DIR, render


def _secured(response: Response) -> Response:
    # The security headers come from fikir.web.headers, on every response.
    response.headers["Cache-Control"] = "no-store"
    return response


async def _login_required(request: Request, exc: Exception) -> Response:
    """Pages send the browser to sign in; scripts get a plain 401."""
    assert isinstance(exc, LoginRequired)  # noqa: S101 - registered for this type only
    accept = request.headers.get("accept", "")
    wants_json = "application/json" in accept and "text/html" not in accept
    if request.method == "GET" and not wants_json:
        return _secured(RedirectResponse(exc.next_url, status_code=303))
    return _secured(JSONResponse({"detail": "sign in first"}, status_code=401))


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Forbidden)  # noqa: S101 - registered for this type only
    lang = "en"
    visit = getattr(request.state, "visit", None)
    if visit is not None:
        lang = visit.lang
        # The path only: a query string can hold search words taken from messages.
        async with visit.runtime.sessions() as session, session.begin():
            audit(session, visit.user, REFUSED, exc.reason, "", request.url.path[:200])
    html = render("admin/error.html", lang, {"reason": exc.reason, "user": None})
    return _secured(HTMLResponse(html, status_code=403))


def include_pages(app: FastAPI) -> None:
    """Mount every page router, the static files and the sign-in/forbidden handlers."""
    app.include_router(admin.router())
    app.include_router(public.router)
    app.include_router(simulator.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
