"""The "you said, we did" question: asked once after a person's first feedback, changeable later.

Asking records the question as answered "no" at once (`updates_opt_in = False`), so a person
who ignores it is never asked again and is sent nothing; only a yes sends updates. Settings,
/news and the SMS keyword (XƏBƏR, НОВОСТИ, NEWS) ask it again.
"""

from __future__ import annotations

from sqlmodel import col, select

from fikir.dialog import prompts as p
from fikir.dialog.flows.asking import show_menu
from fikir.dialog.messages import Reply
from fikir.dialog.render import numbered
from fikir.dialog.state import OptIn, State
from fikir.dialog.turn import Turn
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.storage.models import Feedback


def not_asked(turn: Turn) -> bool:
    """Not asked yet, on a channel fikir can write to first (or where staff try the flows as
    participants see them); a browser on /say cannot receive an update, so it is not asked."""
    channel = turn.channel
    reachable = channel.proactive or channel.test_only
    return reachable and turn.respondent.updates_opt_in is None


def ask_updates(turn: Turn, *, editing: bool = False) -> None:
    """The yes/no question; on SMS appended to the last reply when both fit one segment."""
    r = turn.respondent
    if r.updates_opt_in is None:
        r.updates_opt_in = False  # asked: silence is a no, and nobody is asked twice
    choices = p.updates_choices(turn.lang, sms=turn.paid)
    # A typed "yes"/"да" answers whichever labels were shown.
    also = p.updates_choices(turn.lang, sms=not turn.paid)
    turn.move(State.UPDATES, choices=choices, also=also, editing=editing)
    joined = joined_question(turn.replies[-1], turn.lang) if turn.paid and turn.replies else None
    if joined is not None:
        turn.replies[-1] = joined
        return
    turn.say(p.UPDATES_ASK, choices)


def joined_question(last: Reply, lang: str) -> Reply | None:
    """`last` with the SMS question appended, when the two fit one segment together (and
    `last` asks nothing itself); else None, and the question goes as its own SMS."""
    if last.choices:
        return None
    question = p.t(lang, p.SMS_UPDATES_ASK)
    joined = Reply(f"{last.text} {question}", p.updates_choices(lang, sms=True), last.language)
    text = fit_for_sms(numbered(joined, compact=True), joined.language)
    return joined if count_segments(text).segments == 1 else None


async def ask_once_after_feedback(turn: Turn) -> bool:
    """Ask when the person has written feedback and was never asked; True when asked."""
    if not not_asked(turn) or turn.respondent.id is None:
        return False
    await turn.writes.flush(turn.session)
    wrote = (
        await turn.session.exec(
            select(Feedback.id).where(col(Feedback.respondent_id) == turn.respondent.id).limit(1)
        )
    ).first()
    if wrote is None:
        return False
    ask_updates(turn)
    return True


async def answer(turn: Turn, value: str) -> None:
    """Yes or no (a button, a number or a word); anything else keeps the earlier answer."""
    editing = isinstance(turn.record, OptIn) and turn.record.editing
    if value not in {"yes", "no"}:
        show_menu(turn)
        return
    turn.respondent.updates_opt_in = value == "yes"
    turn.say(p.UPDATES_ON if value == "yes" else p.UPDATES_OFF)
    show_menu(turn, prompt=editing)
