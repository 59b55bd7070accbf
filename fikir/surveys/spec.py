"""A survey as staff write it: the poll YAML with a list of `questions` instead of `options`."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.polls.manage import PollError, PollSpec, create_poll, validate, written_in
from fikir.storage.models import Poll, PollOption
from fikir.storage.survey_tables import SurveyQuestion
from fikir.surveys.kinds import MAX_CHOICES, RATING_MAX, Kind, Question, SkipRule

MAX_QUESTIONS = 20


@dataclass(frozen=True)
class SurveySpec:
    """The poll's own fields (slug, title as `question`, audience, dates) and its questions."""

    poll: PollSpec
    questions: tuple[Question, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SurveySpec:
        raw = data.get("questions")
        if not isinstance(raw, list):
            raise PollError("questions: give a list of questions")
        return cls(
            poll=PollSpec.from_dict({k: v for k, v in data.items() if k != "questions"}),
            questions=tuple(_question(i, item) for i, item in enumerate(raw)),
        )


def is_survey_definition(data: dict[str, Any]) -> bool:
    """A YAML mapping with `questions` is a survey; anything else is a single-question poll."""
    return "questions" in data


def _texts(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (value or {}).items()} if isinstance(value, dict) else {}


def _int(value: Any, where: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PollError(f"{where}: give a whole number")
    return int(value)


def _question(position: int, item: Any) -> Question:
    where = f"question {position + 1}"
    if not isinstance(item, dict):
        raise PollError(f"{where}: give kind, text and (for choices) choices")
    try:
        kind = Kind(str(item.get("kind", "single")))
    except ValueError:
        raise PollError(f"{where}: kind must be one of {', '.join(Kind)}") from None
    rule = None
    show_if = item.get("show_if")
    if show_if is not None:
        if not isinstance(show_if, dict) or not isinstance(show_if.get("answers"), list):
            raise PollError(
                f"{where}: show_if needs question and answers, e.g. "
                "{question: 1, answers: [1, 2]}"
            )
        source = _int(show_if.get("question"), f"{where} show_if question")
        answers = [_int(a, f"{where} show_if answers") for a in show_if["answers"]]
        rule = SkipRule((source or 0) - 1, frozenset(a for a in answers if a is not None))
    return Question(
        position=position,
        kind=kind,
        text=_texts(item.get("text")),
        choices=tuple(_texts(c) for c in item.get("choices") or ()),
        min_value=_int(item.get("min"), f"{where} min"),
        max_value=_int(item.get("max"), f"{where} max"),
        show_if=rule,
    )


def _missing(texts: dict[str, str], languages: list[str]) -> list[str]:
    return [lang for lang in languages if not texts.get(lang, "").strip()]


def _languages(spec: SurveySpec) -> list[str]:
    """The languages the survey is written in: its title's (each question and choice must then
    have every one of them, so a reader gets one language throughout)."""
    return sorted(written_in(spec.poll.question))


def _stand_in(spec: SurveySpec) -> dict[str, str]:
    return dict.fromkeys(_languages(spec), "-")


def validate_survey(spec: SurveySpec) -> None:
    """The poll's own checks, then each question's texts, choices, range and skip rule."""
    # The poll's checks want options; a survey's are its questions' own, checked below.
    stand_in = _stand_in(spec)
    validate(replace(spec.poll, options=(stand_in, stand_in)))
    languages = _languages(spec)
    if not 1 <= len(spec.questions) <= MAX_QUESTIONS:
        raise PollError(f"questions: give between 1 and {MAX_QUESTIONS} questions")
    for q in spec.questions:
        where = f"question {q.position + 1}"
        if _missing(q.text, languages):
            gaps = ", ".join(_missing(q.text, languages))
            raise PollError(f"{where}: missing translation for {gaps}")
        if q.kind in {Kind.SINGLE, Kind.MULTIPLE}:
            if not 2 <= len(q.choices) <= MAX_CHOICES:
                raise PollError(f"{where}: give between 2 and {MAX_CHOICES} choices")
            for number, choice in enumerate(q.choices, start=1):
                if _missing(choice, languages):
                    gaps = ", ".join(_missing(choice, languages))
                    raise PollError(f"{where} choice {number}: missing translation for {gaps}")
        elif q.choices:
            raise PollError(f"{where}: only single and multiple questions have choices")
        if (q.min_value is not None or q.max_value is not None) and q.kind != Kind.NUMBER:
            raise PollError(f"{where}: only number questions have min and max")
        if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
            raise PollError(f"{where}: min must not be above max")
        _check_rule(spec.questions, q)


def _check_rule(questions: tuple[Question, ...], q: Question) -> None:
    rule = q.show_if
    if rule is None:
        return
    where = f"question {q.position + 1} show_if"
    if not 0 <= rule.question < q.position:
        raise PollError(f"{where}: name an earlier question by its number")
    source = questions[rule.question]
    if source.kind == Kind.TEXT:
        raise PollError(f"{where}: a free-text answer cannot decide what is asked")
    if not rule.answers:
        raise PollError(f"{where}: give at least one answer")
    highest = {Kind.SINGLE: len(source.choices), Kind.MULTIPLE: len(source.choices)}.get(
        source.kind, RATING_MAX if source.kind == Kind.RATING else None
    )
    if highest is not None and not all(1 <= a <= highest for a in rule.answers):
        raise PollError(f"{where}: answers are choice numbers from 1 to {highest}")


async def create_survey(session: AsyncSession, spec: SurveySpec) -> Poll:
    """Validate and add the survey: a poll row (its title, audience, dates) and its questions."""
    validate_survey(spec)
    stand_in = _stand_in(spec)
    poll = await create_poll(session, replace(spec.poll, options=(stand_in, stand_in)))
    # A survey has no options of its own; the stand-ins only passed the poll's checks.
    for option in (
        await session.exec(select(PollOption).where(PollOption.poll_id == poll.id))
    ).all():
        await session.delete(option)
    assert poll.id is not None  # noqa: S101 - created polls have ids
    for q in spec.questions:
        session.add(
            SurveyQuestion(
                poll_id=poll.id,
                position=q.position,
                kind=q.kind.value,
                text=json.dumps(q.text, ensure_ascii=False),
                choices=json.dumps(list(q.choices), ensure_ascii=False),
                min_value=q.min_value,
                max_value=q.max_value,
                show_if_question=q.show_if.question if q.show_if else None,
                show_if_answers=json.dumps(sorted(q.show_if.answers) if q.show_if else []),
            )
        )
    await session.flush()
    return poll
