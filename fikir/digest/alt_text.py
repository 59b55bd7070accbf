"""The figures each digest chart shows, as text: a chart image is no use to a screen reader, a
reader who cannot tell the SDG colours apart, or a text-only mail client."""

from __future__ import annotations

from fikir.config.markers import N_
from fikir.digest.document import DigestDocument, TrendSeries
from fikir.digest.honest import drawable
from fikir.digest.labels import OTHER_GROUPS, Words

GOALS_TITLE = N_("Goals ranked by share")
REGIONS_TITLE = N_("People who wrote, by region")
TREND_GOALS = 5  # lines in the trend chart: the month's leading goals
# The trend's figures are in the table under its chart (id="trend-table").
TREND_ALT = N_("Share of the leading goals over six months")


def goals_alt(doc: DigestDocument, words: Words) -> str:
    """Every bar of the goals chart: goal and share (goals under k people are not drawn)."""
    figures = "; ".join(
        f"{words.sdg(g.goal)} {words.goal(g.goal)} {words.percent(g.share)}" for g in doc.goals
    )
    return f"{words(GOALS_TITLE)}: {figures}."


def regions_alt(doc: DigestDocument, words: Words) -> str:
    """Every bar of the regions chart: region and people, small regions only together."""
    regions = doc.breakdown("region")
    rows = [(words.value("region", c.key), c.respondents) for c in regions.cells]
    if regions.other_respondents is not None:
        rows.append((words(OTHER_GROUPS), regions.other_respondents))
    figures = "; ".join(f"{label} {words.number(n)}" for label, n in rows)
    return f"{words(REGIONS_TITLE)}: {figures}."


def trend_series(doc: DigestDocument) -> list[TrendSeries]:
    """The lines the trend chart draws (its table states the same), leading goal first."""
    leading = [g.goal for g in doc.goals[:TREND_GOALS]]
    # A line through one month is a dot, not a trend (honest.drawable).
    series = [s for s in doc.trend if s.goal in leading and drawable(s.shares)]
    series.sort(key=lambda s: leading.index(s.goal))
    return series
