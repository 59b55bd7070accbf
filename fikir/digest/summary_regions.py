"""The regions' lines of the digest's short text: each shown region's leading goal, and the
groups heard least against the population."""

from __future__ import annotations

from fikir.config.markers import N_
from fikir.digest.document import DigestDocument
from fikir.digest.labels import Words

UNDER = 0.5  # a group heard less than half as often as the average is named
NAMED = 4


def regions_summary(doc: DigestDocument, w: Words) -> list[str]:
    """At most two lines; none when nothing regional can be shown."""
    lines = []
    leading = [
        f"{w.value('region', r.region)} {w.sdg(r.goals[0].goal)}"
        for r in sorted(doc.regions, key=lambda r: -(r.respondents or 0))
        if r.respondents is not None and r.goals
    ]
    if leading:
        lines.append(w(N_("Leading goal by region: {regions}"), regions=", ".join(leading[:NAMED])))
    under = sorted(
        (row.ratio, t.dimension, row.key)
        for t in doc.representation
        for row in t.rows
        if row.ratio is not None and row.ratio < UNDER
    )
    if under:
        groups = ", ".join(
            f"{w.value(dimension, key)} ({w.decimal(ratio)})" for ratio, dimension, key in under
        )
        lines.append(
            w(N_("Heard least against the population (1 = average): {groups}"), groups=groups)
        )
    return lines
