"""Where each conversation stands: a named state and a typed record of what it waits for.

The dialog owns both; other packages start a conversation step through a dialog function
(fikir.dialog.outreach), never by writing a respondent's state. The record is stored as JSON in
`respondent.state_data`, in the same shape earlier releases wrote, so no row needs migrating.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum

from fikir.dialog.messages import Choice


class State(StrEnum):
    """The question a person was last asked (or that they are in the menu, or gone)."""

    NEW = "new"
    LANGUAGE = "language"
    CONSENT = "consent"
    REGION = "region"
    AGE = "age"
    GENDER = "gender"
    MENU = "menu"
    FEEDBACK = "feedback"
    TOPIC = "topic"
    SETTINGS = "settings"
    FORGET = "forget"
    POLL = "poll"
    UPDATES = "updates"
    ERASED = "erased"
    THREAD = "thread"  # staff replied to their message: the next message answers it
    # A poll was just answered: a number or option word changes that answer, a sentence is
    # feedback (the thanks promised that the answer can change until the poll closes).
    POLL_ANSWERED = "poll_answered"
    SURVEY = "survey"  # a survey question: the reply is read as its kind says
    # The opinion map: a statement to agree or disagree with (1, 2, 3 or the words), then the
    # offer to add one's own statement, whose text is that statement.
    OPINION = "opinion"
    OPINION_ADD = "opinion_add"


PROFILE_STATES = (State.REGION, State.AGE, State.GENDER)
# States in which a sentence is taken as feedback rather than as an answer to a question.
# The updates question is asked after feedback: a sentence instead of an answer is more of it.
FREE_TEXT_STATES = frozenset(
    {State.MENU, State.FEEDBACK, State.TOPIC, State.UPDATES, State.POLL_ANSWERED}
)


@dataclass(frozen=True)
class Waiting:
    """What the person was offered: their next message may pick one by number or in words."""

    choices: tuple[Choice, ...] = ()
    # Accepted though not shown (the other spelling of every language name).
    also: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Onboarding(Waiting):
    """Before consent: a first message that said something waits here, sealed, until consent."""

    pending: str | None = None


@dataclass(frozen=True)
class Profile(Waiting):
    """A profile question; `editing` when asked from settings (then back to the menu)."""

    editing: bool = False


@dataclass(frozen=True)
class PollWait(Waiting):
    """A poll question, shown again when an answer could not be understood."""

    question: str = ""


@dataclass(frozen=True)
class SurveyWait(Waiting):
    """A survey's question (`survey`, the poll id; `position`, the question's, from 0), and for
    a multiple choice with buttons the choices ticked so far (from 0), until "Done"."""

    survey: int = 0
    position: int = 0
    picked: tuple[int, ...] = ()


@dataclass(frozen=True)
class ThreadWait(Waiting):
    """Staff replied to a message (`thread`, its feedback id); the answer is awaited `until`."""

    thread: int = 0
    until: datetime | None = None


@dataclass(frozen=True)
class OptIn(Waiting):
    """The "you said, we did" question; `editing` when asked from settings or by keyword."""

    editing: bool = False


RECORDS: dict[State, type[Waiting]] = {
    State.NEW: Onboarding,
    State.LANGUAGE: Onboarding,
    State.CONSENT: Onboarding,
    State.REGION: Profile,
    State.AGE: Profile,
    State.GENDER: Profile,
    State.POLL: PollWait,
    State.POLL_ANSWERED: PollWait,
    State.OPINION: PollWait,
    State.OPINION_ADD: PollWait,
    State.THREAD: ThreadWait,
    State.SURVEY: SurveyWait,
    State.UPDATES: OptIn,
}


def record_type(state: State) -> type[Waiting]:
    return RECORDS.get(state, Waiting)


def parse_state(raw: str | None) -> State:
    """The stored state; anything unknown (a row from a newer release) is the menu."""
    try:
        return State(raw or State.NEW)
    except ValueError:
        return State.MENU


def _choices(raw: object) -> tuple[Choice, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Choice(str(item[0]), str(item[1]))
        for item in raw
        if isinstance(item, list) and len(item) == 2
    )


def load_record(state: State, text: str | None) -> Waiting:
    """The record of `state` from its stored JSON; bad or foreign JSON gives an empty record."""
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    kind = record_type(state)
    values: dict[str, object] = {"choices": _choices(raw.get("choices"))}
    values["also"] = _choices(raw.get("also"))
    names = {f.name for f in fields(kind)}
    if "pending" in names and isinstance(raw.get("pending"), str):
        values["pending"] = raw["pending"]
    if "editing" in names:
        values["editing"] = raw.get("editing") is True
    if "question" in names and isinstance(raw.get("question"), str):
        values["question"] = raw["question"]
    if "thread" in names:
        values.update(_thread_values(raw))
    for name in ("survey", "position"):
        if name in names and type(raw.get(name)) is int and int(raw[name]) >= 0:
            values[name] = raw[name]
    picked = raw.get("picked")
    if "picked" in names and isinstance(picked, list):
        values["picked"] = tuple(sorted({i for i in picked if type(i) is int and 0 <= i < 64}))
    return kind(**values)  # type: ignore[arg-type]


def _thread_values(raw: dict[str, object]) -> dict[str, object]:
    """The thread id and deadline, if well formed (a bad one leaves an empty, expired wait)."""
    values: dict[str, object] = {}
    thread = raw.get("thread")
    if isinstance(thread, int) and not isinstance(thread, bool) and thread > 0:
        values["thread"] = thread
    until = raw.get("until")
    if isinstance(until, str):
        try:
            moment = datetime.fromisoformat(until)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            values["until"] = moment
    return values


def dump_record(record: Waiting) -> str:
    """The JSON stored for `record` (only what is set, as earlier releases wrote it)."""
    out: dict[str, object] = {"choices": [[c.payload, c.label] for c in record.choices]}
    if record.also:
        out["also"] = [[c.payload, c.label] for c in record.also]
    if isinstance(record, Onboarding) and record.pending is not None:
        out["pending"] = record.pending
    if isinstance(record, Profile | OptIn) and record.editing:
        out["editing"] = True
    if isinstance(record, PollWait) and record.question:
        out["question"] = record.question
    if isinstance(record, SurveyWait):
        out.update(survey=record.survey, position=record.position)
        if record.picked:
            out["picked"] = list(record.picked)
    if isinstance(record, ThreadWait) and record.thread:
        out["thread"] = record.thread
        if record.until is not None:
            out["until"] = record.until.isoformat()
    return json.dumps(out, ensure_ascii=False)


def carry_over(record: Waiting, state: State, **values: object) -> Waiting:
    """The record for moving to `state`: what both kinds have is kept (a sealed first message
    survives the language and consent questions), the rest starts empty."""
    kind = record_type(state)
    kept = {f.name: getattr(record, f.name) for f in fields(kind) if hasattr(record, f.name)}
    kept.update(values)
    if type(record) is kind:
        return replace(record, **kept)
    return kind(**kept)
