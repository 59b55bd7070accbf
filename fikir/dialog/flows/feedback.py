"""What people write: stored as feedback (redacted, tagged), then optionally its topic."""

from __future__ import annotations

from fikir.dialog import prompts as p
from fikir.dialog.feedback import Recorded, record_feedback, record_topic
from fikir.dialog.flows.asking import repeat, show_menu
from fikir.dialog.flows.updates import ask_updates, not_asked
from fikir.dialog.removed import removed_note
from fikir.dialog.safety import answer_safety
from fikir.dialog.state import FREE_TEXT_STATES, State
from fikir.dialog.text import MAX_FEEDBACK_CHARS, has_words, looks_like_feedback, small_number
from fikir.dialog.turn import Turn


async def free_text(turn: Turn) -> None:
    """Text that answered no question: feedback when it says something, else the question again."""
    state = turn.state
    text = turn.text
    district_asked = state == State.REGION and turn.paid
    if district_asked and text and not looks_like_feedback(text):
        turn.say(p.SMS_REGION_UNKNOWN)
        return
    if not text:
        turn.say(p.EMPTY)
        repeat(turn)
        return
    if not has_words(text):
        # Just after a poll answer a number is an attempt to change it, not failed feedback.
        number_for_poll = state == State.POLL_ANSWERED and small_number(text) is not None
        free = state in FREE_TEXT_STATES and not number_for_poll
        turn.say(p.NOT_WORDS if free else p.PICK_ONE)
        repeat(turn)
        return
    if state in FREE_TEXT_STATES or looks_like_feedback(text):
        await _store(turn, state)
        return
    turn.say(p.SMS_REGION_UNKNOWN if district_asked else p.PICK_ONE)
    if not district_asked:
        repeat(turn)


async def _store(turn: Turn, state: State) -> None:
    recorded = await record_feedback(
        turn.services, turn.respondent, turn.text, turn.now, turn.writes, turn.session
    )
    await answer_safety(turn, recorded)  # referral contacts first, when it is a safety message
    thank(turn, recorded)
    if state not in FREE_TEXT_STATES:
        repeat(turn)
    elif not_asked(turn) and (turn.paid or not recorded.goals or state == State.TOPIC):
        # The first feedback: asked once, here or after the topic (and not twice in a row
        # when the topic question was passed over).
        ask_updates(turn)
    elif recorded.goals and not turn.paid:
        # Optional: the person says what it is about; their choice outranks the tagger.
        feedback_id = await turn.writes.id_of(turn.session, recorded.ref_code)
        choices = p.topic_choices(turn.lang, feedback_id, recorded.goals)
        turn.ask(State.TOPIC, p.TOPIC_ASK, choices)
    else:
        show_menu(turn, prompt=False)


def thank(turn: Turn, recorded: Recorded) -> None:
    """The thanks, with its reference and what was taken out to keep the writer anonymous."""
    if recorded.removed and turn.paid:
        turn.say(p.SMS_THANKS_REMOVED, code=recorded.display_code)
        return
    message = p.THANKS_TRUNCATED if recorded.truncated else p.THANKS
    turn.say(message, code=recorded.display_code, limit=f"{MAX_FEEDBACK_CHARS:,}")
    note = removed_note(turn.lang, recorded.removed)
    if note:
        turn.add_to_last(note)


async def choose_topic(turn: Turn, value: str) -> None:
    """The writer's own topic for their message ("0": something else)."""
    feedback_id, goal = (small_number(part) for part in value.partition(":")[::2])
    if feedback_id is not None and goal:
        await record_topic(turn.session, turn.respondent, feedback_id, goal, turn.now)
    turn.say(p.TOPIC_THANKS)
    if not_asked(turn):
        ask_updates(turn)
        return
    show_menu(turn, prompt=False)
