"""Answering a safety message at once: referral contacts in the writer's language (fikir.config
.referrals), a place in the staff safety queue, and for a reprisal, the duty officers alerted."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from fikir.config.languages import is_supported
from fikir.config.markers import N_
from fikir.config.referrals import Service
from fikir.dialog import prompts as p
from fikir.dialog.feedback import Recorded
from fikir.dialog.messages import Reply
from fikir.dialog.turn import Turn
from fikir.outbox.segments import count_segments
from fikir.safety.contacts import referrals_in_force
from fikir.safety.duty import alerted, notify_duty
from fikir.storage.safety_tables import SafetyCase

SAFETY_HELP = N_(
    "What you wrote worries us. If you or someone else is in danger, please get help now:\n"
    "{services}\n"
    "fikir is not an emergency service: nobody from fikir can call you or come to you. "
    "Your message stays anonymous."
)
SMS_SAFETY_HELP = N_("In danger? Call {services}. fikir cannot send help.")
SMS_REFERRAL_LIMIT = 2  # parts: the referral may cost two, every other reply one


def referral_text(lang: str, services: Sequence[Service], *, sms: bool) -> str:
    """The referral in `lang`; by SMS as many services as fit in two parts, in their order."""
    if not sms:
        lines = "\n".join(f"• {s.name(lang)}: {s.number}" for s in services)
        return p.t(lang, SAFETY_HELP, services=lines)
    text = ""
    for count in range(1, len(services) + 1):
        listed = "; ".join(f"{s.name(lang)} {s.number}" for s in services[:count])
        candidate = p.t(lang, SMS_SAFETY_HELP, services=listed)
        if count > 1 and count_segments(candidate).segments > SMS_REFERRAL_LIMIT:
            break
        text = candidate
    return text


async def refer(turn: Turn, categories: tuple[str, ...], lang: str | None = None) -> None:
    """Add the referral reply for a message in which `categories` were found."""
    chosen = lang or turn.lang
    config = (await referrals_in_force(turn.session)).referrals
    services = config.for_writer(chosen, turn.respondent.region, categories)
    turn.replies.append(Reply(referral_text(chosen, services, sms=turn.paid), (), chosen))


async def refer_before_consent(turn: Turn) -> None:
    """A first message, kept sealed until consent, already gets its referral: nothing is stored."""
    text = turn.text
    detected = turn.services.detect(text)
    lang = detected if is_supported(detected) else None
    categories = tuple(turn.services.safety(text, lang))
    if categories:
        await refer(turn, categories, lang)


async def open_case(turn: Turn, recorded: Recorded) -> None:
    """The stored message's queue entry exists (FeedbackWrites.flush); alert the duty officers."""
    if not alerted(recorded.safety):
        return
    feedback_id = await turn.writes.id_of(turn.session, recorded.ref_code)
    case_id = (
        await turn.session.exec(
            select(SafetyCase.id).where(col(SafetyCase.feedback_id) == feedback_id)
        )
    ).one()
    duty = turn.services.duty
    await notify_duty(
        turn.session,
        turn.services.vault,
        duty.emails,
        duty.dashboard_url,
        int(case_id or 0),
        recorded.safety,
        turn.now,
    )


async def answer_safety(turn: Turn, recorded: Recorded) -> None:
    """Referral first, then the queue and the duty officers; nothing for an ordinary message."""
    if recorded.safety:
        await refer(turn, recorded.safety)
        await open_case(turn, recorded)
