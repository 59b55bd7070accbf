"""A survey's suppressed results as plain lines, for the CLI and the digest's text."""

from __future__ import annotations

from fikir.surveys.kinds import Kind
from fikir.surveys.results import QuestionResult
from fikir.surveys.service import Survey


def result_lines(survey: Survey, results: list[QuestionResult], lang: str) -> list[str]:
    """The title, then per question its answer count and shown figures (or why none)."""
    lines = [survey.poll.question_in(lang)]
    for result in results:
        question = result.question
        lines.append(f"{question.position + 1}. {question.text_in(lang)} [{question.kind.value}]")
        if result.answered is None:
            lines.append(f"  fewer than {result.k} answers: nothing can be shown")
            continue
        lines.append(f"  answered: {result.answered}")
        if question.kind == Kind.NUMBER and result.median is not None:
            lines.append(f"  median: {result.median:g}")
        counts = result.counts
        if counts is None:
            continue
        if counts.suppressed:
            lines.append(f"  each choice had fewer than {result.k}: not shown")
            continue
        labels = result.labels(lang)
        for key, n in sorted(counts.shown.items()):
            lines.append(f"  {labels[key]}: {n} ({result.percent(n)}%)")
        if counts.other:
            lines.append(f"  other choices together: {counts.other}")
    return lines
