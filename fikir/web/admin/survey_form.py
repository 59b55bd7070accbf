"""The dashboard's survey form: the poll form's title, audience and schedule, then a few
question slots (kind, text and choices in every language, range, skip rule), read into the
same shape as the survey YAML so that one set of checks (fikir.surveys.spec) applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.markers import N_
from fikir.polls.manage import PollError
from fikir.web.admin.poll_form import PollForm, parse_time, read

QUESTION_SLOTS = 5
KINDS = (
    ("single", N_("One choice")),
    ("multiple", N_("Several choices")),
    ("number", N_("A number")),
    ("rating", N_("Rating from 1 to 5")),
    ("text", N_("A few words")),
)


@dataclass
class QuestionSlot:
    """One question as typed: choices are one per line, in the same order in every language."""

    kind: str = "single"
    text: dict[str, str] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)
    low: str = ""
    high: str = ""
    show_if: str = ""  # the number of an earlier question
    answers: str = ""  # its answers that show this one, e.g. "2 3"

    @property
    def empty(self) -> bool:
        return not any(self.text.values())


@dataclass
class SurveyForm:
    poll: PollForm
    questions: list[QuestionSlot]
    errors: list[str] = field(default_factory=list)

    @classmethod
    def blank(cls) -> SurveyForm:
        return cls(PollForm.blank(), [QuestionSlot() for _ in range(QUESTION_SLOTS)])


def _field(form: FormData, name: str, limit: int, *, lines: bool = False) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if lines:
        return "\n".join(" ".join(line.split()) for line in value.splitlines() if line.strip())[
            :limit
        ]
    return " ".join(value.split())[:limit]


def read_survey(form: FormData) -> SurveyForm:
    kinds = {code for code, _ in KINDS}
    slots = []
    for slot in range(QUESTION_SLOTS):
        kind = _field(form, f"s{slot}_kind", 16)
        slots.append(
            QuestionSlot(
                kind=kind if kind in kinds else "single",
                text={lang: _field(form, f"s{slot}_{lang}", 500) for lang in LANGUAGE_CODES},
                choices={
                    lang: _field(form, f"s{slot}_c_{lang}", 1200, lines=True)
                    for lang in LANGUAGE_CODES
                },
                low=_field(form, f"s{slot}_min", 9),
                high=_field(form, f"s{slot}_max", 9),
                show_if=_field(form, f"s{slot}_if", 2),
                answers=_field(form, f"s{slot}_in", 40),
            )
        )
    return SurveyForm(read(form), slots)


def _number(value: str, what: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise PollError(f"{what}: give a whole number") from None


def definition(data: SurveyForm, tz: str) -> dict[str, Any]:
    """The survey in the YAML's shape; PollError when a field cannot be read."""
    poll = data.poll
    try:
        opens_at, closes_at = parse_time(poll.opens_at, tz), parse_time(poll.closes_at, tz)
    except ValueError:
        raise PollError("times must look like 2026-12-01T09:00") from None
    filled = [(slot, q) for slot, q in enumerate(data.questions) if not q.empty]
    number_of = {slot + 1: i + 1 for i, (slot, _) in enumerate(filled)}
    questions = []
    for slot, q in filled:
        where = f"question {slot + 1}"
        item: dict[str, Any] = {"kind": q.kind, "text": {k: v for k, v in q.text.items() if v}}
        if q.kind in {"single", "multiple"}:
            lines = {lang: text.split("\n") for lang, text in q.choices.items() if text}
            count = max((len(found) for found in lines.values()), default=0)
            item["choices"] = [
                {lang: found[i] for lang, found in lines.items() if i < len(found)}
                for i in range(count)
            ]
        if q.kind == "number":
            item["min"] = _number(q.low, f"{where} min")
            item["max"] = _number(q.high, f"{where} max")
        source = _number(q.show_if, f"{where} show if")
        if source is not None:
            answers = [_number(a, f"{where} answers") for a in q.answers.replace(",", " ").split()]
            item["show_if"] = {"question": number_of.get(source, 0), "answers": answers}
        questions.append(item)
    return {
        "slug": poll.slug,
        "question": {k: v for k, v in poll.question.items() if v},
        "questions": questions,
        "audience": {
            "channels": poll.channels,
            "languages": poll.languages,
            "regions": poll.regions,
            "age_bands": poll.age_bands,
            "genders": poll.genders,
        },
        "opens_at": opens_at,
        "closes_at": closes_at,
        "share_results": poll.share_results,
    }
