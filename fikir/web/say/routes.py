"""GET/POST /say: a conversation in plain HTML forms, every message through the dialog engine.

POST checks the form's token, the honeypot and the client's limits, hands the message to the
engine (its replies go into the outbox in the same transaction) and redirects; GET shows the
replies of that one form to the cookie's own conversation. The address is the cookie's random
id, so each browser visit is its own pseudonym; nothing about the browser or its network is
kept.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fikir.adapter import RuntimeDep
from fikir.config.channels import WEB
from fikir.config.markers import N_
from fikir.dialog.messages import Choice, Inbound, Outcome, Reply
from fikir.i18n import translate
from fikir.runtime import Runtime
from fikir.web.say import guard as g
from fikir.web.say.mailbox import delivered, replies_to
from fikir.web.say.page import COOKIE, Page, language, set_cookie
from fikir.web.say.page import Form as NextForm
from fikir.web.say.state import guard_for

log = logging.getLogger(__name__)
CHANNEL = WEB.name

EXPIRED = N_(
    "This page has expired, or your browser did not keep its cookie. Please try again on "
    "this new page."
)
TRAPPED = N_(
    "Your message was not sent: a field that must stay empty was filled in. Please try again."
)
TOO_MANY = N_(
    "Too many messages are coming from your network right now. Please try again in {minutes} "
    "minutes."
)
AGAIN = N_("Send again")
BUSY = N_(
    "Many messages are coming from your network right now. Please wait a few minutes, then "
    "press the button again."
)


def _secure(runtime: Runtime) -> bool:
    return runtime.settings.public_url.startswith("https://")


def _session(request: Request) -> tuple[str, bool]:
    """The conversation's id from the cookie, or a new one (True when it is new)."""
    found = request.cookies.get(COOKIE, "")
    return (found, False) if g.valid_session(found) else (g.new_session(), True)


def _client(request: Request) -> str:
    """The network address, for the in-memory hash only; never stored or logged."""
    return request.client.host if request.client is not None else ""


def _next_form(runtime: Runtime, request: Request, session: str, lang: str) -> NextForm:
    now = datetime.now(UTC)
    limits = guard_for(runtime)
    client = limits.client(_client(request), now)
    challenge = limits.challenge(client, now) if limits.busy(client, now) else ""
    csrf = g.csrf_token(runtime.settings.secret, session)
    return NextForm(csrf, g.new_submission(), lang, challenge)


def _choices(replies: list[Reply]) -> Reply | None:
    """The reply whose buttons the next form shows: the last one that has any."""
    return next((reply for reply in reversed(replies) if reply.choices), None)


router = APIRouter(tags=["say"])


@router.get("/say")
async def say_page(request: Request, runtime: RuntimeDep, lang: str = "", m: str = "") -> Response:
    session, new = _session(request)
    replies: list[Reply] = []
    if not new and g.valid_submission(m):
        pseudonym = runtime.services.pseudonymizer.pseudonym(CHANNEL, session)
        async with runtime.sessions() as db:
            replies = await replies_to(db, CHANNEL, pseudonym, m, datetime.now(UTC))
    chosen = language(request, lang if lang or not replies else replies[-1].language or "")
    form = _next_form(runtime, request, session, chosen)
    asking = _choices(replies)
    if asking is not None:
        form.choices = asking.choices
    page = Page(chosen, form, replies=replies, start=not replies)
    return page.response(session, _secure(runtime))


@router.post("/say")
async def say_send(
    request: Request,
    runtime: RuntimeDep,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    submission: Annotated[str, Form(max_length=64)] = "",
    lang: Annotated[str, Form(max_length=8)] = "",
    text: Annotated[str, Form(max_length=5000)] = "",
    payload: Annotated[str, Form(max_length=100)] = "",
    website: Annotated[str, Form(max_length=2000)] = "",
    pow: Annotated[str, Form(max_length=100)] = "",
    nonce: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    session, new = _session(request)
    chosen = language(request, lang)
    secure = _secure(runtime)

    def refused(message: str, status: int, **params: object) -> Response:
        form = _next_form(runtime, request, session, chosen)
        if status != 403:
            form.submission = submission if g.valid_submission(submission) else form.submission
            form.text = text
            if g.valid_payload_shape(payload):
                # The button they pressed, once more (its own label is not known here).
                form.choices = (Choice(payload, translate(chosen, AGAIN)),)
        notice = translate(chosen, message, **params)
        page = Page(chosen, form, notice=notice, status=status, start=status == 403)
        return page.response(session, secure)

    secret = runtime.settings.secret
    if new or not g.csrf_ok(secret, session, csrf_token) or not g.valid_submission(submission):
        return refused(EXPIRED, 403)
    now = datetime.now(UTC)
    limits = guard_for(runtime)
    client = limits.client(_client(request), now)
    verdict = limits.admit(client, now, pow, nonce)
    if website.strip():
        log.info("say: a form with the honeypot filled was refused")
        return refused(TRAPPED, 400)
    if not verdict.allowed:
        runtime.metrics.errors.labels("say_limit").inc()
        if verdict.needs_work:
            return refused(BUSY, 429)
        return refused(TOO_MANY, 429, minutes=max(1, -(-verdict.retry_after // 60)))
    if not text.strip() and not payload:
        return _redirect(session, secure, chosen, "")
    inbound = Inbound(
        channel=CHANNEL,
        address=session,
        # A pressed button is the answer; the text box is a separate form.
        text=None if payload else text,
        payload=payload or None,
        external_id=submission,
        received_at=now,
        language_hint=chosen,
    )
    handled = await runtime.engine.handle(inbound, queue_replies=True)
    if handled.outcome is Outcome.APOLOGISED:
        form = _next_form(runtime, request, session, chosen)
        form.submission, form.text = submission, text  # the same form again: sent once at most
        page = Page(chosen, form, replies=list(handled.replies), status=503)
        return page.response(session, secure)
    pseudonym = runtime.services.pseudonymizer.pseudonym(CHANNEL, session)
    try:
        async with runtime.sessions() as db, db.begin():
            await delivered(db, CHANNEL, pseudonym, submission, now)
    except Exception as exc:  # noqa: BLE001 - shown anyway; only the outbox status lags
        log.warning("say: could not mark replies delivered (%s)", type(exc).__name__)
    shown_in = next((r.language for r in reversed(handled.replies) if r.language), None)
    return _redirect(session, secure, shown_in or chosen, submission)


def _redirect(session: str, secure: bool, lang: str, submission: str) -> Response:
    query = {"lang": lang} | ({"m": submission} if submission else {})
    response = RedirectResponse(f"/say?{urlencode(query)}", status_code=303)
    response.headers["Cache-Control"] = "no-store"
    set_cookie(response, session, secure)
    return response
