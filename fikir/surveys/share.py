"""A closed survey's results sent back to the people who answered it, as a closed poll's are:
per question, suppressed below k, free text never summarised, within two SMS parts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import PROACTIVE_FAMILIES, channel_of
from fikir.config.markers import N_
from fikir.config.settings import Settings
from fikir.i18n import translate, translate_plural
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import Queued, enqueue_many
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.polls.texts import (
    RESULTS_FOOTER,
    RESULTS_HEADER,
    RESULTS_LINE,
    RESULTS_OTHER,
    RESULTS_THANKS,
)
from fikir.storage.models import Contact, Respondent
from fikir.storage.survey_tables import SurveyAnswer
from fikir.surveys.kinds import Kind
from fikir.surveys.results import QuestionResult, survey_results
from fikir.surveys.service import Survey

TOO_FEW = N_("Too few answers to show them safely.")
MIDDLE = N_("Middle answer: {value}")
MORE_NOT_SENT = N_("The rest did not fit.")  # short: it takes room from the figures
MAX_RESULT_SEGMENTS = 2  # as a poll's question: one or two SMS parts


def figures(result: QuestionResult, lang: str) -> str | None:
    """One question's figures on one line; None for free text (never summarised)."""
    question = result.question
    if question.kind == Kind.TEXT:
        return None
    if result.answered is None:
        return translate(lang, TOO_FEW)
    if question.kind == Kind.NUMBER:
        if result.median is None:
            return translate(lang, TOO_FEW)
        return translate(lang, MIDDLE, value=f"{result.median:g}")
    counts = result.counts
    if counts is None or counts.suppressed or not counts.shown:  # all merged: nothing alone
        return translate(lang, TOO_FEW)
    labels = result.labels(lang)
    if question.kind == Kind.RATING:
        labels = {value: f"{value}/5" for value in labels}
    parts = [
        translate(lang, RESULTS_LINE, option=labels[key], percent=result.percent(n))
        for key, n in sorted(counts.shown.items(), key=lambda item: (-item[1], item[0]))
    ]
    if counts.other:
        parts.append(translate(lang, RESULTS_OTHER, percent=result.percent(counts.other)))
    return ", ".join(parts)


def chat_summary(survey: Survey, results: list[QuestionResult], lang: str) -> str:
    """For a chat: thanks, the title, then each question's text, figures and answer count."""
    lines = [
        translate(lang, RESULTS_THANKS),
        translate(lang, RESULTS_HEADER, question=survey.poll.question_in(lang)),
    ]
    total = len(survey.questions)
    for result in results:
        line = figures(result, lang)
        if line is None:
            continue
        question = result.question
        lines.append(f"\n({question.position + 1}/{total}) {question.text_in(lang)}")
        lines.append(line)
        if result.answered is not None:  # at least k: shown as a poll's total is
            plural = RESULTS_FOOTER
            lines.append(translate_plural(lang, plural[0], plural[1], result.answered))
    return "\n".join(lines)


def sms_summary(
    survey: Survey, results: list[QuestionResult], lang: str, transliterate: str
) -> str:
    """For SMS: the title and each question's figures by its number "(1/3)", as many questions
    as fit in two parts, in order; when some do not fit, a last line says so where room is left ("(2/3)" already says how
    many there were)."""
    total = len(survey.questions)
    shown = [
        f"({r.question.position + 1}/{total}) {line}"
        for r in results
        if (line := figures(r, lang)) is not None
    ]

    def fits(candidate: list[str]) -> bool:
        text = fit_for_sms("\n".join(candidate), lang, transliterate)
        return count_segments(text).segments <= MAX_RESULT_SEGMENTS

    title = survey.poll.question_in(lang)
    head = translate(lang, RESULTS_HEADER, question=title)
    while not fits([head, *shown[:1]]) and title:  # a long title is cut for the first figures
        title = title[:-8].rstrip()
        head = translate(lang, RESULTS_HEADER, question=f"{title}…")
    lines = [head]
    fitted = 0
    while fitted < len(shown) and fits([*lines, shown[fitted]]):
        lines.append(shown[fitted])
        fitted += 1
    more = translate(lang, MORE_NOT_SENT)
    if fitted < len(shown) and fits([*lines, more]):  # figures first, then the note if room
        lines.append(more)
    return fit_for_sms("\n".join(lines), lang, transliterate)


async def queue_survey_results(
    session: AsyncSession, survey: Survey, settings: Settings, now: datetime
) -> int:
    """Queue the summary, in their language, to everyone who answered at least one question
    (a skip is not an answer) through the outbox, once each; returns how many were queued."""
    rows = (
        await session.exec(
            select(Respondent.pseudonym, Respondent.channel, Respondent.language)
            .where(
                col(Respondent.id).in_(
                    select(SurveyAnswer.respondent_id).where(
                        SurveyAnswer.poll_id == survey.id, col(SurveyAnswer.skipped).is_(False)
                    )
                ),
                col(Respondent.subscribed).is_(True),
                col(Respondent.blocked).is_(False),
            )
            .join(Contact, col(Contact.pseudonym) == col(Respondent.pseudonym))
            .order_by(col(Respondent.id))
        )
    ).all()
    results = await survey_results(session, survey, settings.k_anonymity)
    texts: dict[tuple[str, str], tuple[OutboundMessage, int]] = {}
    queued: list[Queued] = []
    for pseudonym, respondent_channel, language in rows:
        known = channel_of(respondent_channel)
        if known.family not in PROACTIVE_FAMILIES:
            continue
        lang = language or "az"
        key = (known.family, lang)
        if key not in texts:
            if known.paid:
                text = sms_summary(survey, results, lang, settings.sms_transliterate)
                segments = count_segments(text).segments
            else:
                text, segments = chat_summary(survey, results, lang), 1
            texts[key] = (OutboundMessage(text=text, language=lang), segments)
        message, segments = texts[key]
        queued.append(
            Queued(
                pseudonym,
                known.family,
                "results",
                message,
                f"results:{survey.id}:{pseudonym}",
                segments,
            )
        )
    return len(await enqueue_many(session, queued, now))
