"""Poll texts people receive: the question as a broadcast, and the results shared back."""

from __future__ import annotations

from fikir.config.markers import N_
from fikir.i18n import NP_, translate, translate_plural
from fikir.polls.service import PollResults

RESULTS_HEADER = N_("Results: {question}")
RESULTS_LINE = N_("{option}: {percent}%")
RESULTS_OTHER = N_("Other answers together: {percent}%")
RESULTS_FOOTER = NP_("{n} person answered.", "{n} people answered.")
RESULTS_SUPPRESSED = N_("Too few people answered this poll to show its results safely.")
RESULTS_THANKS = N_("Thank you for answering! Here is what everyone said.")


def render_results(result: PollResults, lang: str, *, with_thanks: bool = False) -> str:
    """Results as a short text in `lang`: suppressed cells merged into "other", never shown."""
    lines = [translate(lang, RESULTS_THANKS)] if with_thanks else []
    lines.append(translate(lang, RESULTS_HEADER, question=result.poll.question_in(lang)))
    counts = result.counts
    if counts.suppressed or not counts.total:
        lines.append(translate(lang, RESULTS_SUPPRESSED))
        return "\n".join(lines)
    labels = result.poll.labels_in(lang)
    for position, percent in sorted(result.percentages().items(), key=lambda item: -item[1]):
        lines.append(translate(lang, RESULTS_LINE, option=labels[position], percent=percent))
    if counts.other:
        lines.append(
            translate(lang, RESULTS_OTHER, percent=round(100 * counts.other / counts.total))
        )
    lines.append(translate_plural(lang, RESULTS_FOOTER[0], RESULTS_FOOTER[1], counts.total))
    return "\n".join(lines)
