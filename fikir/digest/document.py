"""The figures of one month's digest, typed, and their digest.json form (docs/digest-schema.md).

Every count here has already passed small-cell suppression: a figure is either safe to show or
absent (None, or left out of its list). Nothing in this module counts anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from fikir.config.frameworks import Framework
from fikir.config.sdgs import goal_colour, goal_name
from fikir.digest.document_regions import (
    PopulationSource,
    RegionFigure,
    Representation,
    regions_json,
    representation_json,
)
from fikir.digest.document_surveys import SurveyFigure, surveys_json
from fikir.digest.document_themes import Quote, ThemeFigure, quote_json, theme_json
from fikir.digest.honest import running
from fikir.digest.opinion_maps import OpinionFigure, opinions_json

SCHEMA = "fikir-digest/1"
DIMENSIONS: tuple[str, ...] = ("channel", "language", "region", "age_band", "gender")
Texts = tuple[tuple[str, str], ...]  # (language, text) pairs, e.g. a poll question


def text_in(texts: Texts, lang: str) -> str:
    """The text in `lang`, else English, else the first one given."""
    found = dict(texts)
    return found.get(lang) or found.get("en") or (texts[0][1] if texts else "")


@dataclass(frozen=True)
class Cell:
    """One shown group of a breakdown: its messages and distinct respondents."""

    key: str
    messages: int
    respondents: int


@dataclass(frozen=True)
class Breakdown:
    """Messages and respondents by one dimension; small groups are merged into `other`."""

    dimension: str
    cells: tuple[Cell, ...]
    other_messages: int | None
    other_respondents: int | None

    @property
    def suppressed(self) -> bool:
        return not self.cells and self.other_respondents is None


@dataclass(frozen=True)
class Totals:
    """The month's headline figures and the previous month's, each None when under k."""

    messages: int | None
    respondents: int | None
    previous_messages: int | None
    previous_respondents: int | None


@dataclass(frozen=True)
class GoalFigure:
    """One goal's place this month; `share` is of all the month's messages (0..1)."""

    goal: int
    rank: int
    messages: int
    respondents: int
    share: float
    previous_share: float | None
    # The goal's usual share: mean and spread over the earlier trend months (honest.usual_level).
    usual_share: float | None = None
    usual_spread: float | None = None

    @property
    def change(self) -> float | None:
        """Change of share against the previous month, in fractions (0.03 = 3 points)."""
        return None if self.previous_share is None else self.share - self.previous_share


@dataclass(frozen=True)
class TrendSeries:
    """A goal's share in each of the trend months; None where the goal was under k."""

    goal: int
    shares: tuple[float | None, ...]


@dataclass(frozen=True)
class AreaFigure:
    """A cooperation-framework priority area: messages about any of its goals."""

    area: int
    goals: tuple[int, ...]
    names: Texts
    messages: int | None
    respondents: int | None
    share: float | None
    previous_share: float | None


@dataclass(frozen=True)
class PollOptionFigure:
    """One option of a closed poll; `count` is None when it was merged into `other`."""

    position: int
    labels: Texts
    count: int | None
    weighted_share: float | None = None  # weighted to the population (fikir.polls.weighting)


@dataclass(frozen=True)
class WeightedFigure:
    """How a poll's weighting to the population was made: its `other` share, answers, coverage."""

    other: float | None
    answers: int
    coverage: float


@dataclass(frozen=True)
class PollFigure:
    """A poll that closed during the month, with its suppressed results."""

    slug: str
    question: Texts
    closed_at: datetime | None
    total: int | None
    options: tuple[PollOptionFigure, ...]
    other: int | None
    weighted: WeightedFigure | None = None


@dataclass(frozen=True)
class SafetyFigure:
    """Messages about violence, abuse, self-harm, threats or reprisals: a count, never a quote.

    `messages` is None and `fewer_than_k` true when fewer than k people wrote them.
    """

    messages: int | None
    fewer_than_k: bool


@dataclass(frozen=True)
class UpdateFigure:
    """A "you said, we did" update sent during the month; `recipients` None when under k."""

    id: int
    title: Texts
    text: Texts
    goals: tuple[int, ...]
    regions: tuple[str, ...]
    poll: str | None
    sent_at: datetime | None
    recipients: int | None


@dataclass(frozen=True)
class DigestDocument:
    """Everything one month's digest shows, in every language and format."""

    month: str
    start: datetime
    end: datetime
    timezone: str
    generated_at: datetime
    k: int
    framework: Framework
    totals: Totals
    breakdowns: tuple[Breakdown, ...]
    goals: tuple[GoalFigure, ...]
    trend_months: tuple[str, ...]
    trend: tuple[TrendSeries, ...]
    areas: tuple[AreaFigure, ...]
    rising: tuple[int, ...]
    polls: tuple[PollFigure, ...]
    quotes: tuple[Quote, ...]
    safety: SafetyFigure = SafetyFigure(messages=0, fewer_than_k=False)
    updates: tuple[UpdateFigure, ...] = ()
    # Regions and who is not heard (issue 19; fikir.digest.document_regions).
    regions: tuple[RegionFigure, ...] = ()
    representation: tuple[Representation, ...] = ()
    population: PopulationSource | None = None
    # Surveys closed in the month (fikir.digest.document_surveys).
    surveys: tuple[SurveyFigure, ...] = ()
    # The opinion maps of the topics people voted on (fikir.digest.opinion_maps).
    opinions: tuple[OpinionFigure, ...] = ()
    themes: tuple[ThemeFigure, ...] = ()

    def breakdown(self, dimension: str) -> Breakdown:
        for found in self.breakdowns:
            if found.dimension == dimension:
                return found
        raise KeyError(dimension)

    def goal(self, number: int) -> GoalFigure | None:
        return next((g for g in self.goals if g.goal == number), None)

    def quotes_for(self, goal: int) -> tuple[Quote, ...]:
        return tuple(q for q in self.quotes if q.goal == goal)

    def themes_for(self, goal: int) -> tuple[ThemeFigure, ...]:
        return tuple(t for t in self.themes if t.goal == goal)

    @property
    def running(self) -> bool:
        """True when the digest was built before its month ended: the figures are partial."""
        return running(self.end, self.generated_at)

    @property
    def through(self) -> datetime:
        """The moment the figures run to: the month's end, or the build time of a running month."""
        return min(self.end, self.generated_at)

    @property
    def suppressed(self) -> bool:
        """True when the whole month had fewer than k respondents: nothing can be shown."""
        return self.totals.respondents is None

    def to_json(self) -> str:
        return json.dumps(_document(self), ensure_ascii=False, indent=2)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _texts(texts: Texts) -> dict[str, str]:
    return dict(texts)


def _document(doc: DigestDocument) -> dict[str, object]:
    return {
        "schema": SCHEMA,
        "month": doc.month,
        "period": {
            "start": doc.start.isoformat(),
            "end": doc.end.isoformat(),
            "timezone": doc.timezone,
            "complete": not doc.running,
            "through": doc.through.isoformat(),
        },
        "generated_at": doc.generated_at.isoformat(timespec="seconds"),
        "k": doc.k,
        "suppressed": doc.suppressed,
        "totals": {
            "messages": doc.totals.messages,
            "respondents": doc.totals.respondents,
            "previous_messages": doc.totals.previous_messages,
            "previous_respondents": doc.totals.previous_respondents,
        },
        "breakdowns": {
            b.dimension: {
                "cells": [
                    {"key": c.key, "messages": c.messages, "respondents": c.respondents}
                    for c in b.cells
                ],
                "other": None
                if b.other_respondents is None
                else {"messages": b.other_messages, "respondents": b.other_respondents},
                "suppressed": b.suppressed,
            }
            for b in doc.breakdowns
        },
        "goals": [
            {
                "goal": g.goal,
                "name": goal_name(g.goal, "en"),
                "colour": goal_colour(g.goal),
                "rank": g.rank,
                "messages": g.messages,
                "respondents": g.respondents,
                "share": _share(g.share),
                "previous_share": _share(g.previous_share),
                "change": _share(g.change),
                "rising": g.goal in doc.rising,
                "usual_share": _share(g.usual_share),
                "usual_spread": _share(g.usual_spread),
            }
            for g in doc.goals
        ],
        "rising": list(doc.rising),
        "trend": {
            "months": list(doc.trend_months),
            "series": [
                {"goal": s.goal, "shares": [_share(v) for v in s.shares]} for s in doc.trend
            ],
        },
        "framework": {
            "key": doc.framework.key,
            "title": _texts(doc.framework.titles),
            "period": list(doc.framework.period),
        },
        "priority_areas": [
            {
                "id": a.area,
                "name": _texts(a.names),
                "goals": list(a.goals),
                "messages": a.messages,
                "respondents": a.respondents,
                "share": _share(a.share),
                "previous_share": _share(a.previous_share),
            }
            for a in doc.areas
        ],
        "polls": [
            {
                "slug": p.slug,
                "question": _texts(p.question),
                "closed_at": p.closed_at.isoformat(timespec="seconds") if p.closed_at else None,
                "total": p.total,
                "options": [
                    {
                        "position": o.position,
                        "label": _texts(o.labels),
                        "count": o.count,
                        "weighted_share": _share(o.weighted_share),
                    }
                    for o in p.options
                ],
                "other": p.other,
                "weighted": None
                if p.weighted is None
                else {
                    "other": _share(p.weighted.other),
                    "answers": p.weighted.answers,
                    "coverage": _share(p.weighted.coverage),
                },
            }
            for p in doc.polls
        ],
        "quotes": [quote_json(q) for q in doc.quotes],
        "themes": [theme_json(t) for t in doc.themes],
        "safety": {"messages": doc.safety.messages, "fewer_than_k": doc.safety.fewer_than_k},
        "updates": [
            {
                "id": u.id,
                "title": _texts(u.title),
                "text": _texts(u.text),
                "goals": list(u.goals),
                "regions": list(u.regions),
                "poll": u.poll,
                "sent_at": u.sent_at.isoformat(timespec="seconds") if u.sent_at else None,
                "recipients": u.recipients,
            }
            for u in doc.updates
        ],
        "regions": regions_json(doc.regions),
        "representation": representation_json(doc.representation, doc.population),
        "surveys": surveys_json(doc.surveys),
        "opinions": opinions_json(doc.opinions),
    }
