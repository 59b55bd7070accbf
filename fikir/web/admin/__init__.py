"""The staff dashboard: sign-in, home, inbox, safety queue, replies, polls, the opinion map,
updates, digests, exports and users."""

from __future__ import annotations

from fastapi import APIRouter

from fikir.web.admin import (
    alerts,
    audit_page,
    auth,
    digests,
    exports,
    home,
    inbox,
    languages,
    live,
    opinion,
    poll_open,
    poll_schedule,
    polls,
    replies,
    safety,
    send_digest,
    surveys,
    themes,
    translations,
    updates,
    users,
)


def router() -> APIRouter:
    """Every dashboard route, listed explicitly."""
    combined = APIRouter(tags=["dashboard"])
    for module in (
        auth,
        home,
        inbox,
        replies,
        live,
        poll_open,
        poll_schedule,
        surveys,
        polls,
        opinion,
        updates,
        digests,
        send_digest,
        themes,
        exports,
        safety,
        users,
        audit_page,
        alerts,
        languages,
        translations,
    ):
        combined.include_router(module.router)
    return combined
