"""The digest's surveys section: each survey closed in the month, per question its suppressed
figures (a figure under k is None, never a small number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

Texts = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SurveyChoiceFigure:
    """One choice (or rating value); `count` is None when merged into the question's `other`."""

    key: int  # the choice's number as shown (from 1), or the rating
    labels: Texts
    count: int | None


@dataclass(frozen=True)
class SurveyQuestionFigure:
    """One question: how many answered (None under k), and its choices or median."""

    position: int  # from 1
    kind: str
    text: Texts
    answered: int | None
    choices: tuple[SurveyChoiceFigure, ...] = ()
    other: int | None = None
    median: float | None = None


@dataclass(frozen=True)
class SurveyFigure:
    """A survey that closed during the month."""

    slug: str
    title: Texts
    closed_at: datetime | None
    questions: tuple[SurveyQuestionFigure, ...]


def surveys_json(surveys: tuple[SurveyFigure, ...]) -> list[dict[str, object]]:
    return [
        {
            "slug": s.slug,
            "title": dict(s.title),
            "closed_at": s.closed_at.isoformat(timespec="seconds") if s.closed_at else None,
            "questions": [
                {
                    "position": q.position,
                    "kind": q.kind,
                    "text": dict(q.text),
                    "answered": q.answered,
                    "choices": [
                        {"key": c.key, "label": dict(c.labels), "count": c.count} for c in q.choices
                    ],
                    "other": q.other,
                    "median": q.median,
                }
                for q in s.questions
            ],
        }
        for s in surveys
    ]
