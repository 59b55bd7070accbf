"""Surveys in the conversation: each question asked as its kind says, a reply read or asked
again (nothing lost), skip and stop in the person's language, and the next question by the
survey's skip rules."""

from __future__ import annotations

from fikir.dialog import prompts as p
from fikir.dialog.feedback import Recorded, record_feedback
from fikir.dialog.flows.asking import show_menu
from fikir.dialog.flows.feedback import thank
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.safety import answer_safety
from fikir.dialog.state import State, SurveyWait
from fikir.dialog.text import has_words, looks_like_feedback, small_number
from fikir.dialog.turn import Turn
from fikir.polls.model import PollView
from fikir.polls.service import answers_of as poll_answers_of
from fikir.polls.tokens import split
from fikir.surveys import texts
from fikir.surveys.kinds import Kind, Question, parse
from fikir.surveys.service import (
    Survey,
    answers_of,
    load_survey,
    next_question,
    record,
    survey_ids,
)


def survey_wait(
    survey: Survey,
    question: Question,
    lang: str,
    *,
    buttons: bool,
    picked: tuple[int, ...] = (),
) -> SurveyWait:
    """What a conversation waits on while `question` is asked (also for a broadcast's first)."""
    shown = texts.choices(survey, question, lang, buttons=buttons, picked=picked)
    return SurveyWait(
        choices=tuple(Choice(payload, label) for payload, label in shown),
        survey=survey.id,
        position=question.position,
        picked=picked,
    )


def ask(
    turn: Turn,
    survey: Survey,
    question: Question,
    *,
    title: bool = False,
    picked: tuple[int, ...] = (),
) -> None:
    buttons = turn.channel.buttons
    shown = texts.asked(survey, question, turn.lang, buttons=buttons, title=title)
    record = survey_wait(survey, question, turn.lang, buttons=buttons, picked=picked)
    turn.move(
        State.SURVEY,
        choices=record.choices,
        also=(),
        survey=survey.id,
        position=question.position,
        picked=picked,
    )
    turn.replies.append(Reply(shown.text, record.choices, turn.lang))


async def offer(turn: Turn, polls: list[PollView]) -> list[PollView] | None:
    """The seam in the polls keyword: the first open poll or survey not yet done, in order.

    Returns None when a survey question was asked; else the polls that are not surveys."""
    surveys = await survey_ids(turn.session, [poll.id for poll in polls])
    if not surveys:
        return polls
    plain = [poll for poll in polls if poll.id not in surveys]
    answered = await poll_answers_of(turn.session, turn.respondent, [poll.id for poll in plain])
    for poll in polls:
        if poll.id not in surveys:
            if poll.id not in answered:
                return plain
            continue
        survey = await load_survey(turn.session, poll.id)
        if survey is None:
            continue
        given = await answers_of(turn.session, survey, turn.respondent)
        question = next_question(survey, given)
        if question is not None:
            ask(turn, survey, question, title=not given)
            return None
    return plain


async def _current(turn: Turn, survey_id: int, position: int) -> tuple[Survey, Question] | None:
    survey = await load_survey(turn.session, survey_id)
    question = survey.question(position) if survey is not None else None
    if survey is None or question is None:
        show_menu(turn)
        return None
    return survey, question


async def answer_text(turn: Turn) -> None:
    """A typed reply while a survey question waits: skip, stop, or an answer of its kind."""
    wait = turn.record
    if not isinstance(wait, SurveyWait):
        show_menu(turn)
        return
    found = await _current(turn, wait.survey, wait.position)
    if found is None:
        return
    survey, question = found
    text = turn.text.strip()
    said = _key(text)
    skips = {
        "skip",
        _key(texts.skip_word(question, turn.lang)),
        _key(p.t(turn.lang, texts.SKIP_WORD)),
    }
    if said in skips:
        await _store(turn, survey, question, skipped=True)
        return
    if said == _key(p.t(turn.lang, texts.STOP)):
        _stop(turn)
        return
    if question.kind == Kind.TEXT:
        if not has_words(text):
            _again(turn, survey, question)
            return
        recorded = await record_feedback(
            turn.services, turn.respondent, text, turn.now, turn.writes, turn.session
        )
        await answer_safety(turn, recorded)
        feedback_id = await turn.writes.id_of(turn.session, recorded.ref_code)
        await _store(turn, survey, question, feedback_id=feedback_id)
        return
    parsed = parse(question, text, turn.lang)
    kept: Recorded | None = None
    if looks_like_feedback(text):
        # A sentence is kept as a message whether or not it also answers ("3, because the
        # water is dirty"): nothing said is lost, and a safety word is answered at once.
        kept = await record_feedback(
            turn.services, turn.respondent, text, turn.now, turn.writes, turn.session
        )
        await answer_safety(turn, kept)
    if parsed.problem is None:
        await _store(turn, survey, question, values=parsed.values)
        return
    if kept is not None:
        thank(turn, kept)  # something to say rather than an answer: the question stays
        ask(turn, survey, question)
        return
    _again(turn, survey, question)


def _key(text: str) -> str:
    """Words as a spelling-free key: "KEC" is "Keç", "propustit" is "пропустить"."""
    return " ".join(split(text).keys)


def _again(turn: Turn, survey: Survey, question: Question) -> None:
    """The clear re-ask, in one message: what went wrong, then the question with its hint (and
    a multiple choice's ticks so far)."""
    wait = turn.record
    same = isinstance(wait, SurveyWait) and (wait.survey, wait.position) == (
        survey.id,
        question.position,
    )
    ask(turn, survey, question, picked=wait.picked if isinstance(wait, SurveyWait) and same else ())
    last = turn.replies[-1]
    text = f"{p.t(turn.lang, texts.NOT_UNDERSTOOD)}\n{last.text}"
    if turn.channel.buttons and texts.hint(question, turn.lang) not in text:
        text = f"{text}\n{texts.hint(question, turn.lang)}"  # the reply was typed after all
    turn.replies[-1] = Reply(text, last.choices, last.language)


def _stop(turn: Turn) -> None:
    keyword = texts.polls_keyword(turn.lang, paid=turn.paid)
    turn.replies.append(Reply(p.t(turn.lang, texts.STOPPED, polls=keyword), (), turn.lang))
    show_menu(turn, prompt=False)


async def answer_button(turn: Turn, value: str) -> None:
    """A button "survey:<poll>:<question>:<value|skip|stop>" (or a typed number matched to one)."""
    parts = value.split(":")
    if len(parts) != 3:
        show_menu(turn)
        return
    survey_id, position = small_number(parts[0]), small_number(parts[1])
    if survey_id is None or position is None:
        show_menu(turn)
        return
    found = await _current(turn, survey_id, position)
    if found is None:
        return
    survey, question = found
    action = parts[2]
    if action == "stop":
        _stop(turn)
        return
    if action == "skip":
        await _store(turn, survey, question, skipped=True)
        return
    if action == "done" or action.startswith("t"):
        await _toggle(turn, survey, question, action)
        return
    number = small_number(action)
    if number is None or question.kind not in {Kind.SINGLE, Kind.RATING}:
        show_menu(turn)
        return
    parsed = parse(question, str(number if question.kind == Kind.RATING else number + 1), None)
    if parsed.problem is not None:
        _again(turn, survey, question)
        return
    await _store(turn, survey, question, values=parsed.values)


async def _toggle(turn: Turn, survey: Survey, question: Question, action: str) -> None:
    """A multiple choice's toggle "t<choice>" or "done", taken only for the question that waits
    now: a forged one, or one from an earlier message, changes and stores nothing and the
    waiting question is shown again (or the menu, when none waits)."""
    wait = turn.record
    current = (
        isinstance(wait, SurveyWait)
        and turn.state == State.SURVEY
        and (wait.survey, wait.position) == (survey.id, question.position)
        and question.kind == Kind.MULTIPLE
        and turn.channel.buttons
    )
    choice = small_number(action[1:]) if action.startswith("t") else None
    valid = action == "done" or (choice is not None and choice < len(question.choices))
    if not isinstance(wait, SurveyWait) or not current or not valid:
        await _show_waiting(turn)
        return
    if choice is not None:
        picked = tuple(sorted(set(wait.picked) ^ {choice}))
        ask(turn, survey, question, picked=picked)
        return
    if not wait.picked:
        _again(turn, survey, question)  # "Done" before any tick: nothing to store
        return
    await _store(turn, survey, question, values=wait.picked)


async def _show_waiting(turn: Turn) -> None:
    """The question that waits, as it stands (its ticks kept); the menu if none does."""
    wait = turn.record
    if turn.state != State.SURVEY or not isinstance(wait, SurveyWait):
        show_menu(turn)
        return
    found = await _current(turn, wait.survey, wait.position)
    if found is not None:
        ask(turn, *found, picked=wait.picked)


async def _store(
    turn: Turn,
    survey: Survey,
    question: Question,
    *,
    values: tuple[int, ...] = (),
    feedback_id: int | None = None,
    skipped: bool = False,
) -> None:
    outcome = await record(
        turn.session,
        survey,
        question,
        turn.respondent,
        turn.now,
        values=values,
        feedback_id=feedback_id,
        skipped=skipped,
    )
    refusal = {"closed": p.POLL_CLOSED, "outside": p.POLL_OUTSIDE, "invalid": p.PICK_ONE}
    if outcome in refusal:
        turn.say(refusal[outcome])
        show_menu(turn, prompt=False)
        return
    await turn.session.flush()
    following = next_question(survey, await answers_of(turn.session, survey, turn.respondent))
    if following is not None:
        ask(turn, survey, following)
        return
    turn.replies.append(Reply(p.t(turn.lang, texts.THANKS), (), turn.lang))
    show_menu(turn, prompt=False)
