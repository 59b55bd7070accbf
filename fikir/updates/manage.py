"""Keeping updates: drafts staff write and edit, sending one, and the published ones by goal."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.settings import Settings
from fikir.storage.language_tables import load_fallbacks
from fikir.storage.models import Poll, StaffUpdate
from fikir.updates.model import UpdateError, UpdateSpec, UpdateView, store, view
from fikir.updates.send import queue_update

DRAFT, SENT = "draft", "sent"
SENT_ALREADY = "a sent update cannot be changed"


async def _check_poll(session: AsyncSession, spec: UpdateSpec) -> None:
    if spec.poll_id is not None and await session.get(Poll, spec.poll_id) is None:
        raise UpdateError("no such poll")


async def create_update(
    session: AsyncSession, spec: UpdateSpec, staff_id: int | None, now: datetime
) -> StaffUpdate:
    """A new draft; the caller commits."""
    checked = spec.checked()
    await _check_poll(session, checked)
    update = store(StaffUpdate(title="", body="", created_by=staff_id, created_at=now), checked)
    update.updated_at = now
    session.add(update)
    await session.flush()
    return update


async def edit_update(
    session: AsyncSession, update_id: int, spec: UpdateSpec, now: datetime
) -> StaffUpdate:
    """Change a draft; a sent update stays as its readers received it."""
    update = await session.get(StaffUpdate, update_id)
    if update is None:
        raise UpdateError("no such update")
    if update.status != DRAFT:
        raise UpdateError(SENT_ALREADY)
    checked = spec.checked()
    await _check_poll(session, checked)
    store(update, checked).updated_at = now
    session.add(update)
    return update


async def load_update(session: AsyncSession, update_id: int) -> UpdateView | None:
    update = await session.get(StaffUpdate, update_id)
    return None if update is None else view(update, await load_fallbacks(session))


async def all_updates(session: AsyncSession) -> list[UpdateView]:
    rows = (await session.exec(select(StaffUpdate).order_by(col(StaffUpdate.id).desc()))).all()
    fallbacks = await load_fallbacks(session)
    return [view(row, fallbacks) for row in rows]


async def send_update(
    session: AsyncSession, update_id: int, settings: Settings, now: datetime
) -> tuple[UpdateView, int]:
    """Queue the update and mark it sent; returns it and how many messages were queued. Sending
    again queues only for people not reached yet (each person's message has its own key)."""
    update = (
        await session.exec(select(StaffUpdate).where(StaffUpdate.id == update_id).with_for_update())
    ).first()
    if update is None:
        raise UpdateError("no such update")
    loaded = view(update, await load_fallbacks(session))
    queued = await queue_update(session, loaded, settings, now)
    update.status = SENT
    update.sent_at = update.sent_at or now
    update.recipients += queued
    session.add(update)
    return loaded, queued


async def published(
    session: AsyncSession, since: datetime | None = None, until: datetime | None = None
) -> list[UpdateView]:
    """Sent updates, newest first (those sent in [since, until) when given)."""
    query = select(StaffUpdate).where(StaffUpdate.status == SENT)
    if since is not None:
        query = query.where(col(StaffUpdate.sent_at) >= since)
    if until is not None:
        query = query.where(col(StaffUpdate.sent_at) < until)
    rows = (
        await session.exec(query.order_by(col(StaffUpdate.sent_at).desc(), col(StaffUpdate.id)))
    ).all()
    fallbacks = await load_fallbacks(session)
    return [view(row, fallbacks) for row in rows]


def by_goal(updates: list[UpdateView]) -> list[tuple[int | None, list[UpdateView]]]:
    """Updates grouped under each goal they answer (goal order), then those tied to no goal."""
    goals = sorted({goal for update in updates for goal in update.goals})
    groups: list[tuple[int | None, list[UpdateView]]] = [
        (goal, [u for u in updates if goal in u.goals]) for goal in goals
    ]
    rest = [u for u in updates if not u.goals]
    if rest:
        groups.append((None, rest))
    return groups
