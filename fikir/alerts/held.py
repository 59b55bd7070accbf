"""Telling staff that a scheduled poll was held, not sent: the member who confirmed its plan
(every active admin when nobody did), by their linked Telegram and the addresses of their
alerts, through the same outbox senders as every notice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.alerts.notices import Recipient, notice
from fikir.config.markers import N_
from fikir.i18n import translate
from fikir.outbox.queue import Queued, enqueue_many
from fikir.polls.plan_check import UNCONFIRMED, Held, safe_figures
from fikir.privacy.vault import Vault
from fikir.storage.alert_tables import AlertSubscription
from fikir.storage.models import StaffUser

HELD_SUBJECT = N_("fikir: the scheduled poll {slug} was held, not sent")
HELD_COST = N_(
    "Its SMS cost grew from about ${confirmed} (confirmed when it was scheduled) to about "
    "${now}, more than the {margin}% margin."
)
HELD_COST_SMALL = N_(
    "Its SMS cost grew beyond the plan confirmed when it was scheduled by more than the "
    "{margin}% margin."
)
HELD_UNCONFIRMED = N_("Its recipients and cost were not confirmed when it was scheduled.")
HELD_ACTION = N_("Nothing was sent. Check the new plan and open it from its page: {link}")


def held_text(lang: str, held: Held, margin: float, k: int, dashboard_url: str) -> str:
    slug = held.poll.slug
    if held.reason == UNCONFIRMED or held.confirmed is None:
        why = translate(lang, HELD_UNCONFIRMED)
    elif safe_figures(held, k):
        why = translate(
            lang,
            HELD_COST,
            confirmed=f"{held.confirmed.cost:.2f}",
            now=f"{held.cost:.2f}",
            margin=f"{100 * margin:g}",
        )
    else:
        why = translate(lang, HELD_COST_SMALL, margin=f"{100 * margin:g}")
    link = f"{dashboard_url.rstrip('/')}/admin/polls/{slug}"
    return "\n".join(
        (translate(lang, HELD_SUBJECT, slug=slug), why, translate(lang, HELD_ACTION, link=link))
    )


async def _recipients(session: AsyncSession, held: Held) -> list[Recipient]:
    who = held.confirmed.confirmed_by if held.confirmed else None
    statement = select(StaffUser).where(col(StaffUser.active).is_(True))
    if who is not None:
        statement = statement.where(StaffUser.id == who)
    else:
        statement = statement.where(StaffUser.role == "admin")
    found = []
    for user in (await session.exec(statement.order_by(col(StaffUser.id)))).all():
        emails = (
            await session.exec(
                select(AlertSubscription.email)
                .where(
                    AlertSubscription.staff_user_id == user.id,
                    col(AlertSubscription.email).is_not(None),
                )
                .distinct()
            )
        ).all()
        found.append(Recipient(user, True, None))
        found += [Recipient(user, False, str(email)) for email in emails if email]
    return found


async def notify_held(
    session: AsyncSession,
    vault: Vault,
    held: Held,
    margin: float,
    k: int,
    dashboard_url: str,
    now: datetime,
) -> int:
    """Queue the held notice in the caller's transaction; returns how many were queued."""
    queued: list[Queued] = []
    stamp = f"{now:%Y%m%dT%H%M}"
    for to in await _recipients(session, held):
        text = held_text(to.lang, held, margin, k, dashboard_url)
        queued += notice(to, text, f"held:{held.poll.id}:{stamp}:{to.user.id}", vault)
    return len(await enqueue_many(session, queued, now)) if queued else 0
