"""What a survey question says on each kind of channel, and its worst-case SMS cost.

The dialog and the broadcast both build a question's text here, so that the cost shown to staff
before opening is the cost of what people are really sent."""

from __future__ import annotations

from dataclasses import dataclass

from fikir.config.languages import get_language
from fikir.config.markers import N_
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.outbox.segments import count_segments, fit_for_sms
from fikir.surveys.kinds import Kind, Question
from fikir.surveys.paths import ways
from fikir.surveys.service import Survey

HINT_SINGLE = N_("Please reply with one of the numbers.")
HINT_MULTIPLE = N_("Reply with numbers separated by spaces, e.g. 1 3")
HINT_NUMBER = N_("Reply with a number.")
HINT_RANGE = N_("Reply with a number from {low} to {high}.")
HINT_AT_LEAST = N_("Reply with a number, {low} or more.")
HINT_AT_MOST = N_("Reply with a number, {high} or less.")
HINT_RATING = N_("Reply with a number from 1 (bad) to 5 (very good).")
HINT_TEXT = N_("Reply in a few words, without names or phone numbers.")
HINT_SKIP = N_("To skip: {skip}")
NOT_UNDERSTOOD = N_("Sorry, we could not read that answer. Nothing is lost: please try again.")
THANKS = N_("Thank you! Your answers are recorded.")
STOP = N_("Stop the survey")
STOPPED = N_("The survey is paused and your answers are kept. To go on, send {polls}.")
SKIP_WORD = N_("Skip")
DONE = N_("Done")
HINT_TAP = N_("Or tap every choice that fits, then Done.")
TICK = "✓ "  # a ticked choice of a multiple choice, on its button
MAX_QUESTION_SEGMENTS = 2  # as a poll: each question fits two SMS parts  # the same msgid as the profile questions' skip button


@dataclass(frozen=True)
class Asked:
    """A question as one channel shows it: the text, and its options (as buttons or numbers)."""

    text: str
    options: tuple[str, ...]


def skip_word(question: Question, lang: str) -> str:
    """What skips a question: 0, except where 0 is an answer (a number question)."""
    return translate(lang, SKIP_WORD).upper() if question.kind == Kind.NUMBER else "0"


def hint(question: Question, lang: str) -> str:
    low, high = question.bounds
    if question.kind == Kind.SINGLE:
        return translate(lang, HINT_SINGLE)
    if question.kind == Kind.MULTIPLE:
        return translate(lang, HINT_MULTIPLE)
    if question.kind == Kind.RATING:
        return translate(lang, HINT_RATING)
    if question.kind == Kind.TEXT:
        return translate(lang, HINT_TEXT)
    if low is not None and high is not None:
        return translate(lang, HINT_RANGE, low=low, high=high)
    if low is not None:
        return translate(lang, HINT_AT_LEAST, low=low)
    if high is not None:
        return translate(lang, HINT_AT_MOST, high=high)
    return translate(lang, HINT_NUMBER)


def asked(
    survey: Survey, question: Question, lang: str, *, buttons: bool, title: bool = False
) -> Asked:
    """The question numbered "(2/3)", its options, the kind's hint and how to skip.

    With buttons, single-choice options and ratings are buttons; otherwise single-choice
    options are numbered by the channel, and the rest are written into the text."""
    lines = [survey.poll.question_in(lang)] if title else []
    lines.append(f"({question.position + 1}/{len(survey.questions)}) {question.text_in(lang)}")
    labels = question.labels_in(lang)
    options: tuple[str, ...] = ()
    if question.kind == Kind.SINGLE or (question.kind == Kind.RATING and buttons):
        options = tuple(labels)
    elif question.kind == Kind.MULTIPLE:
        lines.append("  ".join(f"{i} {label}" for i, label in enumerate(labels, start=1)))
    if not options or question.kind == Kind.RATING:
        # Numbered choices or buttons speak for themselves, as in a poll; 1–5 needs its ends.
        lines.append(hint(question, lang))
    if buttons and question.kind == Kind.MULTIPLE:
        lines.append(translate(lang, HINT_TAP))  # its choices are also toggle buttons
    if not buttons:
        lines.append(translate(lang, HINT_SKIP, skip=skip_word(question, lang)))
    return Asked("\n".join(lines), options)


def choices(
    survey: Survey,
    question: Question,
    lang: str,
    *,
    buttons: bool,
    picked: tuple[int, ...] = (),
) -> tuple[tuple[str, str], ...]:
    """(payload, label) of the options shown, and with buttons also skip and stop: the one
    place that spells a survey payload, "survey:<poll>:<question>:<choice|rating|skip|stop>".

    A multiple choice with buttons has a toggle per choice, "t<choice>", ticked when in
    `picked`, and "done"."""
    base = f"survey:{survey.id}:{question.position}"
    options = asked(survey, question, lang, buttons=buttons).options
    rating = question.kind == Kind.RATING
    found = tuple((f"{base}:{i + 1 if rating else i}", label) for i, label in enumerate(options))
    if buttons and question.kind == Kind.MULTIPLE:
        found = tuple(
            (f"{base}:t{i}", f"{TICK}{label}" if i in picked else label)
            for i, label in enumerate(question.labels_in(lang))
        ) + ((f"{base}:done", translate(lang, DONE)),)
    if buttons:
        found += (
            (f"{base}:skip", translate(lang, SKIP_WORD)),
            (f"{base}:stop", translate(lang, STOP)),
        )
    return found


def sms_text(asked_: Asked, lang: str, transliterate: str) -> str:
    """As an SMS carries it: options numbered on one line (as fikir.sms.provider renders)."""
    text = asked_.text
    if asked_.options:
        items = "  ".join(f"{i} {label}" for i, label in enumerate(asked_.options, start=1))
        text = f"{text}\n{items}"
    return fit_for_sms(text, lang, transliterate)


def polls_keyword(lang: str, *, paid: bool) -> str:
    """How a person comes back to a survey: /polls in a chat, the polls keyword by SMS."""
    if not paid:
        return "/polls"
    words = get_language(lang).keywords_for("polls")
    return words[0].upper() if words else "POLL"


def worst_case_segments(survey: Survey, lang: str, transliterate: str) -> int:
    """SMS parts one person costs on the costliest way through: each question asked and the
    thanks (re-asks after unreadable replies are not counted)."""
    parts = {
        q.position: count_segments(
            sms_text(
                asked(survey, q, lang, buttons=False, title=q.position == 0), lang, transliterate
            )
        ).segments
        for q in survey.questions
    }
    costliest = max(sum(parts[q.position] for q in way) for way in ways(survey.questions))
    thanks = fit_for_sms(translate(lang, THANKS), lang, transliterate)
    return costliest + count_segments(thanks).segments


def sms_preview(
    survey: Survey, lang: str, transliterate: str
) -> tuple[tuple[int, str, str], list[str]]:
    """(worst-case parts per person, encoding, the first SMS) and the questions too long for
    two parts, for the broadcast plan."""
    first = survey.questions[0]
    text = sms_text(asked(survey, first, lang, buttons=False, title=True), lang, transliterate)
    too_long = []
    for question in survey.questions:  # each must fit, whichever way it is reached
        shown = asked(survey, question, lang, buttons=False, title=question.position == 0)
        info = count_segments(sms_text(shown, lang, transliterate))
        if info.segments > MAX_QUESTION_SEGMENTS:
            too_long.append(
                f"{lang}: question {question.position + 1}: {info.segments} segments "
                f"({info.units} units)"
            )
    segments = worst_case_segments(survey, lang, transliterate)
    return (segments, count_segments(text).encoding, text), too_long


def first_message(
    survey: Survey, lang: str, transliterate: str, *, paid: bool, buttons: bool
) -> tuple[OutboundMessage, int]:
    """The survey as a broadcast: its title and first question (the rest follow as replies)."""
    first = survey.questions[0]
    shown = asked(survey, first, lang, buttons=buttons, title=True)
    if paid:
        text = sms_text(shown, lang, transliterate)
        return OutboundMessage(text=text, language=lang), count_segments(text).segments
    found = choices(survey, first, lang, buttons=buttons)
    return OutboundMessage(text=shown.text, choices=found, language=lang), 1
