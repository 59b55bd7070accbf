"""The alert jobs, plain async functions of `now` (APScheduler only triggers them, see
fikir.jobs.alerts): immediate subscriptions every minute, at most one notice per subscription
per FIKIR_ALERT_WINDOW_MINUTES so that a flood is one notice; daily ones once a day, with the
sharp-rise check for every subscription."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.alerts.matching import hits, tally
from fikir.alerts.notices import Recipient, new_messages_text, notice, rise_text
from fikir.alerts.rise import BASELINE_WEEKS, WEEK, rises
from fikir.config.channels import TEST_CHANNELS
from fikir.config.settings import Settings
from fikir.outbox.queue import Queued, enqueue_many
from fikir.privacy.vault import Vault
from fikir.storage.alert_tables import AlertSubscription
from fikir.storage.engine import SessionMaker
from fikir.storage.models import Feedback, StaffUser

# Messages younger than this may still be committing; they are counted in the next notice.
SETTLE = timedelta(seconds=10)


async def _subscriptions(
    session: AsyncSession, frequency: str | None = None
) -> list[tuple[AlertSubscription, StaffUser]]:
    statement = (
        select(AlertSubscription, StaffUser)
        .join(StaffUser, col(StaffUser.id) == col(AlertSubscription.staff_user_id))
        .where(col(StaffUser.active).is_(True))
        .order_by(col(AlertSubscription.id))
    )
    if frequency is not None:
        statement = statement.where(AlertSubscription.frequency == frequency)
    return [(sub, user) for sub, user in (await session.exec(statement)).all()]


def _recipient(sub: AlertSubscription, user: StaffUser) -> Recipient:
    return Recipient(user, sub.to_chat, sub.email)


async def _new_messages(
    session: AsyncSession,
    vault: Vault,
    settings: Settings,
    sub: AlertSubscription,
    user: StaffUser,
    now: datetime,
) -> list[Queued]:
    """The notice of what arrived since the subscription's watermark (none when nothing did);
    the watermark moves on either way."""
    end = now - SETTLE
    if end <= sub.since:
        return []
    found = await hits(session, sub.since, end, sub.goal, sub.region)
    since, sub.since = sub.since, end
    session.add(sub)
    if not found:
        return []
    sub.last_sent_at = now
    to = _recipient(sub, user)
    text = new_messages_text(
        to.lang,
        sub.goal,
        sub.region,
        tally(found, settings.k_anonymity),
        since,
        settings.timezone,
        settings.k_anonymity,
        settings.public_url,
    )
    return notice(to, text, f"alert:{sub.id}:{now:%Y%m%dT%H%M%S}", vault)


async def immediate_alerts(
    sessions: SessionMaker, vault: Vault, settings: Settings, now: datetime
) -> int:
    """Notices for immediate subscriptions whose window has passed; returns how many queued."""
    window = timedelta(minutes=settings.alert_window_minutes)
    queued: list[Queued] = []
    async with sessions() as session, session.begin():
        for sub, user in await _subscriptions(session, "immediate"):
            if sub.last_sent_at is not None and now - sub.last_sent_at < window:
                continue  # batched: what arrives meanwhile goes in the next notice
            queued += await _new_messages(session, vault, settings, sub, user, now)
        added = await enqueue_many(session, queued, now) if queued else set()
    return len(added)


async def first_message_at(session: AsyncSession) -> datetime | None:
    """When the first message from a person arrived: before it, silence means nothing."""
    first: datetime | None = (
        await session.exec(
            select(func.min(col(Feedback.created_at))).where(
                col(Feedback.channel).not_in(TEST_CHANNELS)
            )
        )
    ).one()
    return first


async def daily_alerts(
    sessions: SessionMaker, vault: Vault, settings: Settings, now: datetime
) -> int:
    """The day's notices for daily subscriptions and sharp rises for every subscription (one
    per subscription, goal and region a week); returns how many were queued."""
    k = settings.k_anonymity
    queued: list[Queued] = []
    week = now.isocalendar()
    async with sessions() as session, session.begin():
        first = await first_message_at(session)
        for sub, user in await _subscriptions(session):
            if sub.frequency == "daily":
                queued += await _new_messages(session, vault, settings, sub, user, now)
            start = now - WEEK * (BASELINE_WEEKS + 1)
            found = await hits(session, start, now, sub.goal, sub.region)
            to = _recipient(sub, user)
            for rise in rises(
                found, now, first, k, settings.alert_rise_alpha, settings.alert_rise_ratio
            ):
                key = f"alert-rise:{sub.id}:{rise.goal}:{rise.region}:{week.year}W{week.week}"
                queued += notice(to, rise_text(to.lang, rise, k, settings.public_url), key, vault)
        added = await enqueue_many(session, queued, now) if queued else set()
    return len(added)
