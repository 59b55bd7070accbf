"""A writer's answer to a staff reply: kept as feedback like any message, and linked into the
thread on the message staff answered, so that staff see it there."""

from __future__ import annotations

from sqlmodel import select

from fikir.config.channels import channel_of
from fikir.config.markers import N_
from fikir.dialog import prompts as p
from fikir.dialog.feedback import record_feedback
from fikir.dialog.flows.asking import show_menu
from fikir.dialog.state import State, ThreadWait
from fikir.dialog.turn import Turn
from fikir.storage.models import Feedback, ThreadMessage

THREAD_THANKS = N_(
    "Thank you! Your answer has reached the team, anonymously like your message. Reference: {code}."
)
SMS_THREAD_THANKS = N_("Thank you, your answer reached the team. Ref: {code}")


async def answer(turn: Turn) -> bool:
    """Take this typed message as the answer to the thread the writer waits on.

    Returns False when it is not one (the wait is over, or the message it answers is gone):
    the conversation is back in the menu and the message is handled as usual.
    """
    record = turn.record
    thread = record.thread if isinstance(record, ThreadWait) else 0
    until = record.until if isinstance(record, ThreadWait) else None
    original = await turn.session.get(Feedback, thread) if thread else None
    if (
        original is None
        or original.respondent_id != turn.respondent.id
        or until is None
        or turn.now > until
    ):
        turn.move(State.MENU, choices=(), also=())
        return False
    if not turn.text:
        turn.say(p.EMPTY)
        return True
    recorded = await record_feedback(
        turn.services, turn.respondent, turn.text, turn.now, turn.writes, turn.session
    )
    answer_id = await turn.writes.id_of(turn.session, recorded.ref_code)
    text, language = (
        await turn.session.exec(
            select(Feedback.text, Feedback.language).where(Feedback.id == answer_id)
        )
    ).one()
    turn.session.add(
        ThreadMessage(
            feedback_id=thread,
            direction="writer",
            text=text,  # redacted, as the feedback it also is
            language=language,
            channel=channel_of(turn.respondent.channel).family,
            answer_feedback_id=answer_id,
            created_at=turn.now,
        )
    )
    turn.say(SMS_THREAD_THANKS if turn.paid else THREAD_THANKS, code=recorded.display_code)
    show_menu(turn, prompt=False)
    return True
