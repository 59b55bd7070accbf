"""The digest's charts, drawn with matplotlib (Agg) in the official SDG colours.

Each goal also has its own hatching, marker and line style and every bar and line end is
labelled, so the charts still read on a black-and-white printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# The Agg canvas is attached to each Figure directly: pyplot's global state is never touched.
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from fikir.config.markers import N_
from fikir.config.sdgs import goal_colour
from fikir.digest.alt_text import trend_series
from fikir.digest.document import DigestDocument
from fikir.digest.files import atomic_path
from fikir.digest.labels import OTHER_GROUPS, Words

HATCHES = (
    "//", "\\\\", "||", "--", "++", "xx", "oo", "..", "**",
    "/", "\\", "|", "-", "+", "x", "o", "O",
)  # fmt: skip
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p", "d", "8", "H", "1", "2")
LINESTYLES = ("-", "--", "-.", ":")
DPI = 150
# Noto Sans (Debian's fonts-noto-core) where installed; DejaVu Sans ships with matplotlib.
WANTED_FONTS = ("Noto Sans", "DejaVu Sans")


@cache
def chart_fonts() -> tuple[str, ...]:
    """The wanted families matplotlib can find: naming a missing one logs a warning for every
    label drawn (hundreds per digest), so the charts use what this machine has."""
    from matplotlib import font_manager

    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(name for name in WANTED_FONTS if name in known) or ("DejaVu Sans",)


@dataclass(frozen=True)
class ChartFiles:
    """Where one language's charts were written (None: nothing to draw that month)."""

    goals: Path | None
    trend: Path | None
    regions: Path | None
    cartogram: Path | None = None  # the regions' tile cartogram (fikir.digest.chart_cartogram)


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _save(figure: Figure, path: Path) -> None:
    with atomic_path(path) as temporary:
        figure.savefig(temporary, dpi=DPI, format="png")


def _style(axes: Any) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def goals_chart(doc: DigestDocument, words: Words, path: Path) -> Path | None:
    """Goals ranked by share of the month's messages, largest at the top."""
    goals = doc.goals
    if not goals:
        return None
    figure = _figure(7.2, 0.9 + 0.42 * len(goals))
    axes = figure.add_subplot()
    labels = [f"{words.sdg(g.goal)} · {_shorten(words.goal(g.goal))}" for g in goals]
    positions = list(range(len(goals)))[::-1]
    bars = axes.barh(
        positions,
        [g.share * 100 for g in goals],
        color=[goal_colour(g.goal) for g in goals],
        edgecolor="black",
        linewidth=0.6,
    )
    for bar, figure_goal in zip(bars, goals, strict=True):
        bar.set_hatch(HATCHES[figure_goal.goal - 1])
        bar.set_edgecolor("black")
    top = max(g.share for g in goals) * 100
    for position, goal in zip(positions, goals, strict=True):
        axes.text(
            goal.share * 100 + top * 0.015,
            position,
            words.percent(goal.share),
            va="center",
            fontsize=8,
            family=list(chart_fonts()),
        )
    axes.set_yticks(positions, labels, fontsize=8, family=list(chart_fonts()))
    axes.set_xlim(0, top * 1.18)
    axes.set_xlabel(
        words(N_("Share of this month's messages (%)")), fontsize=8, family=list(chart_fonts())
    )
    axes.tick_params(axis="x", labelsize=7)
    _style(axes)
    _save(figure, path)
    return path


def trend_chart(doc: DigestDocument, words: Words, path: Path) -> Path | None:
    """Six-month share of this month's leading goals; gaps where a month was under k."""
    series = trend_series(doc)
    if not series:
        return None
    figure = _figure(7.2, 3.4)
    axes = figure.add_subplot()
    xs = list(range(len(doc.trend_months)))
    ends: list[tuple[float, float, str]] = []
    for index, line in enumerate(series):
        ys = [float("nan") if v is None else v * 100 for v in line.shares]
        axes.plot(
            xs,
            ys,
            color=goal_colour(line.goal),
            marker=MARKERS[line.goal - 1],
            linestyle=LINESTYLES[index % len(LINESTYLES)],
            linewidth=1.8,
            markersize=6,
            markeredgecolor="black",
            markeredgewidth=0.6,
            label=f"{words.sdg(line.goal)} · {_shorten(words.goal(line.goal), 30)}",
        )
        last = next(
            ((x, y) for x, y in zip(reversed(xs), reversed(ys), strict=True) if y == y), None
        )
        if last is not None:
            ends.append((last[0], last[1], words.sdg(line.goal)))
    _label_ends(axes, ends)
    axes.set_xticks(
        xs, [words.short_month(m) for m in doc.trend_months], fontsize=7, family=list(chart_fonts())
    )
    axes.set_xlim(-0.3, len(xs) - 0.3)
    axes.set_ylim(bottom=0)
    axes.set_ylabel(words(N_("Share of messages (%)")), fontsize=8, family=list(chart_fonts()))
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="y", color="#bbbbbb", linewidth=0.5)
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    _style(axes)
    _save(figure, path)
    return path


def _label_ends(axes: Any, ends: list[tuple[float, float, str]]) -> None:
    """Name each line at its last point, nudging labels apart so equal values stay legible."""
    if not ends:
        return
    top = max(y for _, y, _ in ends) or 1.0
    gap = top * 0.07
    placed: list[float] = []
    for x, y, label in sorted(ends, key=lambda end: end[1]):
        at = max(y, placed[-1] + gap) if placed else y
        placed.append(at)
        axes.annotate(
            label, (x, y), xytext=(x + 0.12, at), textcoords="data", va="center",
            fontsize=7, family=list(chart_fonts()),
        )  # fmt: skip
    axes.set_ylim(0, max(axes.get_ylim()[1], placed[-1] + gap))


def regions_chart(doc: DigestDocument, words: Words, path: Path) -> Path | None:
    """People who wrote from each region; small regions are shown together, never alone."""
    regions = doc.breakdown("region")
    if regions.suppressed:
        return None
    rows = [(words.value("region", c.key), c.respondents) for c in regions.cells]
    if regions.other_respondents is not None:
        rows.append((words(OTHER_GROUPS), regions.other_respondents))
    figure = _figure(7.2, 0.9 + 0.36 * len(rows))
    axes = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]
    bars = axes.barh(
        positions,
        [n for _, n in rows],
        color="#7f9fb8",
        edgecolor="black",
        linewidth=0.6,
        hatch="//",
    )
    if regions.other_respondents is not None:
        bars[-1].set_hatch("..")
    top = max(n for _, n in rows)
    for position, (_, n) in zip(positions, rows, strict=True):
        axes.text(n + top * 0.015, position, words.number(n), va="center", fontsize=8)
    axes.set_yticks(positions, [label for label, _ in rows], fontsize=8, family=list(chart_fonts()))
    axes.set_xlim(0, top * 1.15)
    axes.set_xlabel(words(N_("People who wrote")), fontsize=8, family=list(chart_fonts()))
    axes.tick_params(axis="x", labelsize=7)
    _style(axes)
    _save(figure, path)
    return path


def chart_files(directory: Path, lang: str) -> ChartFiles:
    """The charts an earlier run drew for `lang` (None for those it had nothing to draw)."""

    def found(name: str) -> Path | None:
        path = directory / f"{name}-{lang}.png"
        return path if path.is_file() else None

    return ChartFiles(
        goals=found("goals"),
        trend=found("trend"),
        regions=found("regions"),
        cartogram=found("cartogram"),
    )


def draw_charts(doc: DigestDocument, words: Words, directory: Path) -> ChartFiles:
    """Every chart of one language into `directory` (blocking: call it in a worker thread)."""
    directory.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, Path | None] = {}
    for name, draw in (
        ("goals", goals_chart),
        ("trend", trend_chart),
        ("regions", regions_chart),
    ):
        path = directory / f"{name}-{words.lang}.png"
        drawn[name] = draw(doc, words, path)
        if drawn[name] is None:
            path.unlink(missing_ok=True)  # an older month's chart must not be taken for this one
    return ChartFiles(
        goals=drawn["goals"],
        trend=drawn["trend"],
        regions=drawn["regions"],
    )
