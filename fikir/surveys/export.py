"""A survey's results as rows of the poll export (same columns): one block per question."""

from __future__ import annotations

from fikir.surveys.kinds import Kind
from fikir.surveys.results import QuestionResult
from fikir.surveys.service import Survey


def survey_rows(survey: Survey, results: list[QuestionResult], lang: str) -> list[tuple[str, ...]]:
    """Rows of (poll, status, question, option, label, respondents, percent, note)."""
    poll = survey.poll.poll
    rows: list[tuple[str, ...]] = []
    for result in results:
        question = result.question
        head = (poll.slug, poll.status, f"{question.position + 1}. {question.text_in(lang)}")
        if result.answered is None:
            rows.append((*head, "", "", "", "", f"fewer than {result.k} respondents: not shown"))
            continue
        rows.append((*head, "answered", "", str(result.answered), "", question.kind.value))
        if question.kind == Kind.NUMBER and result.median is not None:
            rows.append((*head, "median", "", f"{result.median:g}", "", ""))
        counts = result.counts
        if counts is None:
            continue
        if counts.suppressed:
            rows.append((*head, "", "", "", "", f"choices under {result.k}: not shown"))
            continue
        for key, label in result.labels(lang).items():
            n = counts.shown.get(key)
            number = str(key if question.kind == Kind.RATING else key + 1)
            if n is None:
                rows.append((*head, number, label, "", "", "merged into other"))
            else:
                rows.append((*head, number, label, str(n), str(result.percent(n)), ""))
        if counts.other:
            note = f"choices under {result.k} merged"
            rows.append((*head, "other", "", str(counts.other), "", note))
    return rows
