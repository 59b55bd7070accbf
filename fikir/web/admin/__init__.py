"""The staff dashboard: sign-in, home, inbox, safety queue, replies, polls, updates, digests,
exports and users."""

from __future__ import annotations

from fastapi import APIRouter

from fikir.web.admin import (
    audit_page,
    auth,
    digests,
    exports,
    home,
    inbox,
    live,
    poll_open,
    polls,
    replies,
    safety,
    send_digest,
    themes,
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
        polls,
        updates,
        digests,
        send_digest,
        themes,
        exports,
        safety,
        users,
        audit_page,
    ):
        combined.include_router(module.router)
    return combined
