"""Conversations fikir starts: a poll sent to its audience, on command or on schedule.

The poll's domain queues the messages; this puts each recipient's conversation on the poll, so
that a bare "2" or "bəli" answers it. Nothing outside the dialog writes a conversation's state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.alerts.held import notify_held
from fikir.config.channels import channel_of
from fikir.config.settings import Settings
from fikir.dialog.flows.polls import poll_choices
from fikir.dialog.flows.survey import survey_wait
from fikir.dialog.state import PollWait, State, Waiting, dump_record
from fikir.polls import lifecycle
from fikir.polls.broadcast import Recipient
from fikir.polls.model import PollView
from fikir.polls.plan_check import check_due, hold
from fikir.privacy.vault import Vault
from fikir.storage.bulk import CHUNK, table_of
from fikir.storage.models import Poll, Respondent
from fikir.surveys.service import load_survey


async def open_poll(
    session: AsyncSession, slug: str, settings: Settings, now: datetime
) -> tuple[Poll, int]:
    """Open the poll, queue it for its audience and wait for their answers; the caller commits.
    Returns the poll and how many messages were queued."""
    poll, view, recipients = await lifecycle.open_poll(session, slug, settings, now)
    await wait_for_answers(session, view, recipients)
    return poll, len(recipients)


async def apply_schedule(
    session: AsyncSession, settings: Settings, now: datetime, vault: Vault | None = None
) -> list[str]:
    """Open scheduled polls whose time has come and close open polls past their end. A poll
    whose plan was never confirmed, or whose SMS cost grew past the confirmed plan by more than
    the margin, is held instead and staff are told (with `vault`, by Telegram and e-mail)."""
    due_open, due_close = await lifecycle.due_polls(session, now)
    done = []
    k = settings.k_anonymity
    for poll in due_open:
        held = await check_due(session, poll, settings, now)
        if held is not None:
            hold(session, held, k, now)
            if vault is not None:
                margin = settings.poll_cost_margin
                await notify_held(session, vault, held, margin, k, settings.public_url, now)
            done.append(f"held {poll.slug} ({held.reason})")
            continue
        _, queued = await open_poll(session, poll.slug, settings, now)
        done.append(f"opened {poll.slug} ({queued} queued)")
    for poll in due_close:
        _, shared = await lifecycle.close_poll(session, poll.slug, settings, now)
        done.append(f"closed {poll.slug} ({shared} results queued)")
    return done


async def wait_for_answers(
    session: AsyncSession, poll: PollView, recipients: Sequence[Recipient]
) -> None:
    """Each recipient's conversation waits on `poll` (in chunks: a broadcast may reach 100,000)."""
    survey = await load_survey(session, poll.id)
    waiting = []
    for person in recipients:
        lang = person.language or "az"
        record: Waiting = PollWait(
            choices=poll_choices(poll, lang), question=poll.question_in(lang)
        )
        state = State.POLL
        if survey is not None:  # a survey waits on its first question
            buttons = channel_of(person.channel).buttons
            record = survey_wait(survey, survey.questions[0], lang, buttons=buttons)
            state = State.SURVEY
        waiting.append({"rid": person.id, "st": state.value, "data": dump_record(record)})
    respondents = table_of(Respondent)
    for start in range(0, len(waiting), CHUNK):
        await session.exec(
            update(respondents)
            .where(respondents.c.id == bindparam("rid"))
            .values(state=bindparam("st"), state_data=bindparam("data")),
            params=waiting[start : start + CHUNK],
        )
