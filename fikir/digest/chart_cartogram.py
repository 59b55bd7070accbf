"""A tile cartogram of Azerbaijan's 14 economic regions: one equal tile per region, placed roughly
where the region lies, showing its people and leading goals. Equal tiles are easier to read than
a map, where Baku is a speck and the large rural regions dominate."""

from __future__ import annotations

from pathlib import Path

from matplotlib.patches import Rectangle

from fikir.config.markers import N_
from fikir.config.sdgs import goal_colour
from fikir.digest.charts import HATCHES, _figure, _save, chart_fonts
from fikir.digest.document import DigestDocument
from fikir.digest.labels import Words

# (column, row) of each region, row 0 at the top: north to south, west to east.
TILES: dict[str, tuple[int, int]] = {
    "shaki_zagatala": (2, 0),
    "guba_khachmaz": (4, 0),
    "gazakh_tovuz": (0, 1),
    "ganja_dashkasan": (1, 1),
    "central_aran": (2, 1),
    "mountainous_shirvan": (3, 1),
    "absheron_khizi": (4, 1),
    "baku": (5, 1),
    "karabakh": (1, 2),
    "mil_mughan": (2, 2),
    "shirvan_salyan": (3, 2),
    "nakhchivan": (0, 3),
    "east_zangezur": (1, 3),
    "lankaran_astara": (3, 3),
}
TILE_GOALS = 3
COLUMNS, ROWS = 6, 4


def cartogram(doc: DigestDocument, words: Words, path: Path) -> Path | None:
    """The regions' tiles; a tile under k is grey and says so, never a number."""
    if not any(r.respondents is not None for r in doc.regions):
        return None
    fonts = list(chart_fonts())
    figure = _figure(7.2, 5.0)
    axes = figure.add_subplot()
    axes.set_xlim(0, COLUMNS)
    axes.set_ylim(ROWS, 0)
    axes.set_aspect("auto")
    axes.axis("off")
    for region in doc.regions:
        column, row = TILES[region.region]
        hidden = region.respondents is None
        axes.add_patch(
            Rectangle(
                (column + 0.03, row + 0.03), 0.94, 0.94,
                facecolor="#eeeeee" if hidden else "#f7f7f7",
                edgecolor="#b0b0b0" if hidden else "black",  # also the hatching's colour
                linewidth=0.7, hatch="//" if hidden else None,
            )
        )  # fmt: skip
        axes.text(
            column + 0.08, row + 0.16, words.value("region", region.region),
            fontsize=5.8, fontweight="bold", family=fonts, va="center",
        )  # fmt: skip
        if hidden:
            axes.text(column + 0.08, row + 0.45, "—", fontsize=7, family=fonts, va="center")
            continue
        axes.text(
            column + 0.08, row + 0.34, words(N_("{n} people"), n=words.number(region.respondents)),
            fontsize=6, family=fonts, va="center",
        )  # fmt: skip
        for line, goal in enumerate(region.goals[:TILE_GOALS]):
            y = row + 0.54 + line * 0.15
            axes.add_patch(
                Rectangle(
                    (column + 0.08, y - 0.06), 0.14, 0.12, facecolor=goal_colour(goal.goal),
                    edgecolor="black", linewidth=0.4, hatch=HATCHES[goal.goal - 1],
                )
            )  # fmt: skip
            axes.text(
                column + 0.26, y, f"{words.sdg(goal.goal)} · {words.percent(goal.share)}",
                fontsize=6, family=fonts, va="center",
            )  # fmt: skip
    _save(figure, path)
    return path


def draw_cartogram(doc: DigestDocument, words: Words, directory: Path) -> Path | None:
    """The cartogram of one language into `directory`, or None (an older one is removed)."""
    path = directory / f"cartogram-{words.lang}.png"
    drawn = cartogram(doc, words, path)
    if drawn is None:
        path.unlink(missing_ok=True)
    return drawn
