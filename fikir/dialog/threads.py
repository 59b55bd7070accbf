"""Anonymous replies: staff answer a message through its writer's own channel, never seeing where.

The reply is queued in the outbox under the writer's pseudonym; the outbox worker opens the vault
only when it sends. The writer's conversation then waits on the thread (State.THREAD), so that
their next message comes back to it (fikir.dialog.flows.thread).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import channel_of
from fikir.config.languages import DEFAULT_LANGUAGE
from fikir.config.markers import N_
from fikir.config.settings import Settings
from fikir.dialog import prompts as p
from fikir.dialog.feedback import display_code
from fikir.dialog.state import State, ThreadWait, dump_record
from fikir.outbox.message import THREAD_KIND, OutboundMessage
from fikir.outbox.queue import Queued, enqueue_many
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.storage.models import Contact, Feedback, OutboxMessage, Respondent, ThreadMessage

# What the writer reads: the team's words as written, framed in the writer's language.
REPLY_CHAT = N_(
    "Reply from the team to your message #{code}:\n\n{text}\n\n"
    "To answer, simply write back here. Your answer stays anonymous."
)
REPLY_SMS = N_("Reply to your message #{code}: {text}\nAnswer by replying. STOP ends messages.")

# Telegram carries 4096 UTF-16 units; the adapter cuts at 4000, so a reply stays one message.
CHAT_LIMIT = 4000
# Every SMS part is paid for: a reply may cost at most this many (UCS-2: 67 characters each).
MAX_SMS_SEGMENTS = 3
# How long a writer's next message is taken as their answer before the conversation moves on.
ANSWER_DAYS = 14
MAX_STAFF_TEXT = 4000
_NONCE = re.compile(r"^[A-Za-z0-9_-]{8,48}$")

# Why a reply cannot reach the writer; the dashboard explains each without naming anyone.
ERASED, STOPPED, BLOCKED, NO_CONTACT, TEST_CHANNEL = (
    "erased",
    "stopped",
    "blocked",
    "no_contact",
    "test_channel",
)
# Why a reply as written cannot be sent.
EMPTY, TOO_LONG = "empty", "too_long"


@dataclass(frozen=True)
class ReplyPlan:
    """What a reply would be and cost, shown to staff before it is queued."""

    feedback_id: int
    channel: str  # the channel family (fikir.config.channels), or a test channel
    language: str
    unreachable: str | None = None
    problem: str | None = None
    text: str = ""  # the message exactly as the writer will read it
    segments: int = 0  # SMS parts (0 on a free channel)
    encoding: str = ""
    cost: float = 0.0
    units: int = 0
    limit: int = 0  # characters (chat) or SMS parts (SMS) allowed

    @property
    def paid(self) -> bool:
        return channel_of(self.channel).paid

    @property
    def sendable(self) -> bool:
        return self.unreachable is None and self.problem is None and bool(self.text)


class ReplyRefused(Exception):
    """The reply cannot be queued: the plan says why."""

    def __init__(self, plan: ReplyPlan | None) -> None:
        super().__init__(plan.unreachable or plan.problem if plan else "not_found")
        self.plan = plan


def new_nonce() -> str:
    """A one-time key per reply form: sending the same form twice queues one message."""
    return secrets.token_urlsafe(16)


def valid_nonce(nonce: str) -> bool:
    """A form's one-time key (a reply submitted twice is queued once)."""
    return bool(_NONCE.fullmatch(nonce))


def compose(channel: str, lang: str, ref_code: str, text: str, transliterate: str) -> str:
    """The reply as the writer will read it; SMS spelled as the SMS adapter will send it."""
    code = display_code(ref_code)
    if channel_of(channel).paid:
        return fit_for_sms(p.t(lang, REPLY_SMS, code=code, text=text), lang, transliterate)
    return p.t(lang, REPLY_CHAT, code=code, text=text)


async def _writer(
    session: AsyncSession, feedback: Feedback
) -> tuple[Respondent | None, str | None]:
    """The writer of `feedback`, or why they cannot be reached (nothing about who they are)."""
    if feedback.respondent_id is None:
        return None, ERASED
    writer = await session.get(Respondent, feedback.respondent_id)
    if writer is None or writer.consent_at is None:
        return None, ERASED
    channel = channel_of(writer.channel)
    if channel.test_only or not channel.proactive:
        return writer, TEST_CHANNEL
    if writer.opted_out:
        return writer, STOPPED
    if writer.blocked:
        return writer, BLOCKED
    contact = (
        await session.exec(select(Contact.id).where(Contact.pseudonym == writer.pseudonym))
    ).first()
    if contact is None:
        return writer, NO_CONTACT
    return writer, None


async def plan_reply(
    session: AsyncSession, feedback_id: int, text: str, settings: Settings
) -> ReplyPlan | None:
    """What replying `text` to the message would send and cost; None if there is no message."""
    feedback = await session.get(Feedback, feedback_id)
    if feedback is None:
        return None
    writer, unreachable = await _writer(session, feedback)
    lang = (writer.language if writer else None) or feedback.language or DEFAULT_LANGUAGE
    channel = channel_of(writer.channel if writer else feedback.channel).family
    plan = ReplyPlan(feedback_id, channel, lang, unreachable)
    text = text.strip()
    if unreachable is not None:
        return plan
    if not text:
        return replace(plan, problem=EMPTY, limit=_limit(channel))
    body = compose(
        channel, lang, feedback.ref_code, text[:MAX_STAFF_TEXT], settings.sms_transliterate
    )
    units = len(body.encode("utf-16-le")) // 2
    if channel_of(channel).paid:
        info = count_segments(body)
        problem = TOO_LONG if info.segments > MAX_SMS_SEGMENTS else None
        return replace(
            plan,
            problem=problem,
            text=body,
            segments=info.segments,
            encoding=info.encoding,
            cost=round(info.segments * settings.sms_segment_cost, 4),
            units=info.units,
            limit=MAX_SMS_SEGMENTS,
        )
    problem = TOO_LONG if units > CHAT_LIMIT or len(text) > MAX_STAFF_TEXT else None
    return replace(plan, problem=problem, text=body, units=units, limit=CHAT_LIMIT)


def _limit(channel: str) -> int:
    return MAX_SMS_SEGMENTS if channel_of(channel).paid else CHAT_LIMIT


async def send_reply(
    session: AsyncSession,
    feedback_id: int,
    text: str,
    *,
    staff_user_id: int | None,
    nonce: str,
    settings: Settings,
    now: datetime,
) -> tuple[ReplyPlan, ThreadMessage | None]:
    """Queue the reply and let the writer's next message answer it; the caller commits.

    Returns the plan and the thread entry, or None for the entry when this form was sent
    already (same nonce). Raises ReplyRefused when the reply cannot be sent.
    """
    plan = await plan_reply(session, feedback_id, text, settings)
    if plan is None or not plan.sendable or not valid_nonce(nonce):
        raise ReplyRefused(plan)
    feedback = await session.get(Feedback, feedback_id)
    writer = await session.get(Respondent, feedback.respondent_id) if feedback else None
    if writer is None or writer.id is None:
        raise ReplyRefused(plan)
    key = f"{THREAD_KIND}:{feedback_id}:{nonce}"
    message = OutboundMessage(text=plan.text, language=plan.language)
    queued = Queued(
        writer.pseudonym, plan.channel, THREAD_KIND, message, key, max(plan.segments, 1)
    )
    if not await enqueue_many(session, [queued], now):
        return plan, None
    outbox_id = (
        await session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key))
    ).one()
    entry = ThreadMessage(
        feedback_id=feedback_id,
        direction="staff",
        text=text.strip()[:MAX_STAFF_TEXT],
        language=plan.language,
        channel=plan.channel,
        segments=plan.segments,
        staff_user_id=staff_user_id,
        outbox_id=outbox_id,
        created_at=now,
    )
    session.add(entry)
    wait_for_answer(writer, feedback_id, now + timedelta(days=ANSWER_DAYS))
    session.add(writer)
    await session.flush()
    return plan, entry


def wait_for_answer(writer: Respondent, feedback_id: int, until: datetime) -> None:
    """The writer's next message (until then) answers the thread on `feedback_id`."""
    writer.state = State.THREAD
    writer.state_data = dump_record(ThreadWait(thread=feedback_id, until=until))
