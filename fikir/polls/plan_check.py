"""A scheduled opening sends only what staff confirmed: the plan's paid SMS cost is recorded
when the poll is scheduled, and at opening time a poll whose cost grew past it by more than
FIKIR_POLL_COST_MARGIN (or that was never confirmed) is held, not sent, for staff to look again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.settings import Settings
from fikir.polls.broadcast import BroadcastPlan, plan_broadcast
from fikir.polls.plan_view import paid_recipients
from fikir.polls.service import load_view
from fikir.storage.alert_tables import PollPlan
from fikir.storage.models import AuditEvent, Poll

HELD = "held"
UNCONFIRMED = "unconfirmed"
COST_GREW = "cost"


@dataclass(frozen=True)
class Held:
    """Why a due poll was not sent, with the confirmed and current plans' paid figures."""

    poll: Poll
    reason: str
    confirmed: PollPlan | None
    cost: float
    sms_recipients: int


async def confirm_plan(
    session: AsyncSession, poll: Poll, plan: BroadcastPlan, staff_user_id: int | None, now: datetime
) -> PollPlan:
    """Record the plan staff confirmed for the poll's scheduled opening (replacing any earlier)."""
    stored = (await session.exec(select(PollPlan).where(PollPlan.poll_id == poll.id))).first()
    stored = stored or PollPlan(poll_id=poll.id or 0)
    stored.segments = plan.total_segments
    stored.cost = plan.estimated_cost
    stored.sms_recipients = paid_recipients(plan)
    stored.confirmed_by = staff_user_id
    stored.confirmed_at = now
    stored.held_at = None
    stored.held_cost = None
    session.add(stored)
    return stored


async def confirmed_plan(session: AsyncSession, poll_id: int) -> PollPlan | None:
    return (await session.exec(select(PollPlan).where(PollPlan.poll_id == poll_id))).first()


def grew(confirmed: float, current: float, margin: float) -> bool:
    """True when the current cost is beyond the confirmed one by more than the margin."""
    return current > confirmed * (1.0 + margin) + 1e-9


async def check_due(
    session: AsyncSession, poll: Poll, settings: Settings, now: datetime
) -> Held | None:
    """None when the due poll may open; otherwise why it must be held."""
    view = await load_view(session, poll.id or 0)
    if view is None:
        return None
    plan = await plan_broadcast(session, view, settings, now)
    confirmed = await confirmed_plan(session, poll.id or 0)
    paid = paid_recipients(plan)
    if confirmed is None:
        return Held(poll, UNCONFIRMED, None, plan.estimated_cost, paid)
    if grew(confirmed.cost, plan.estimated_cost, settings.poll_cost_margin):
        return Held(poll, COST_GREW, confirmed, plan.estimated_cost, paid)
    return None


def safe_figures(held: Held, k: int) -> bool:
    """Costs may be named only when no fewer than k people (and not 1..k-1) pay in either plan:
    cost over price per part would count them."""
    counts = [held.sms_recipients] + ([held.confirmed.sms_recipients] if held.confirmed else [])
    return held.confirmed is not None and all(n == 0 or n >= k for n in counts)


def hold(session: AsyncSession, held: Held, k: int, now: datetime) -> None:
    """Mark the poll held (the scheduler passes it by) and audit it; the caller commits."""
    held.poll.status = HELD
    session.add(held.poll)
    if held.confirmed is not None:
        held.confirmed.held_at = now
        held.confirmed.held_cost = held.cost
        session.add(held.confirmed)
    detail = f"scheduler; {held.reason}" + (
        f"; confirmed ${held.confirmed.cost:.2f}, now ${held.cost:.2f}"
        if held.confirmed and safe_figures(held, k)
        else ""
    )
    session.add(
        AuditEvent(
            at=now, action="hold", object_type="poll", object_id=held.poll.slug, detail=detail
        )
    )
