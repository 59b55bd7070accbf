"""Every message the engine can send by SMS, rendered as sent, with the segments it costs.

A reply must fit one segment and a poll question (with its numbered options) two: every part
is paid for, by us on Twilio and by the phone's owner on a local SIM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.organisation import DEFAULT_NAMES
from fikir.dialog import prompts as p
from fikir.dialog.feedback import REF_LENGTH, display_code
from fikir.dialog.flows.thread import SMS_THREAD_THANKS
from fikir.dialog.flows.updates import joined_question
from fikir.dialog.messages import Choice, Reply
from fikir.polls.model import PollView
from fikir.sms.provider import sms_text
from fikir.sms.segments import SegmentInfo, count_segments

REPLY_LIMIT = 1
POLL_LIMIT = 2
# The consent is sent once per person and must say who reads, that it is anonymous, that
# nobody calls and how to erase: in 70 UCS-2 characters that cannot be said with a name.
CONSENT_LIMIT = 2
SAMPLE_CODE = display_code("A" * REF_LENGTH)
# Whom the first SMS from a number of unknown language asks (DialogEngine._ask_language).
FIRST_CONTACT_LANGUAGES = ("az", "ru", "en")
LANGUAGE_MENU = "LANGUAGE_MENU"
NO_LANGUAGE = "-"


@dataclass(frozen=True)
class SmsPrompt:
    """A prompt the engine sends over SMS (its SMS msgid), and the choices it carries there."""

    name: str
    msgid: str
    choices: Callable[[str], tuple[Choice, ...]] | None = None
    params: tuple[tuple[str, str], ...] = ()
    limit: int = REPLY_LIMIT

    def reply(self, lang: str, organisation: Mapping[str, str] = DEFAULT_NAMES) -> Reply:
        """The prompt as the engine words it, naming `organisation` as configured."""
        choices = self.choices(lang) if self.choices is not None else ()
        params = {"organisation": organisation[lang], **dict(self.params)}
        return Reply(p.t(lang, self.msgid, **params), choices, lang)


def _consent_choices(lang: str) -> tuple[Choice, ...]:
    return p.consent_choices(lang, sms=True)


def _forget_choices(lang: str) -> tuple[Choice, ...]:
    return p.forget_choices(lang, sms=True)


def _updates_choices(lang: str) -> tuple[Choice, ...]:
    return p.updates_choices(lang, sms=True)


# What fikir/dialog/engine.py says when the channel is SMS: the SMS_VARIANTS of its chat
# prompts, plus the few chat prompts short enough to go as they are. Never by SMS: the menu,
# settings and topic questions, PROFILE_INTRO, and the seventeen-region list (typed instead).
SMS_PROMPTS: tuple[SmsPrompt, ...] = (
    SmsPrompt("CONSENT_SMS", p.CONSENT_SMS, _consent_choices, limit=CONSENT_LIMIT),
    SmsPrompt("SMS_DECLINED", p.SMS_DECLINED),
    SmsPrompt("SMS_THANKS", p.SMS_THANKS, None, (("code", SAMPLE_CODE),)),
    SmsPrompt("SMS_THANKS_REMOVED", p.SMS_THANKS_REMOVED, None, (("code", SAMPLE_CODE),)),
    SmsPrompt("SMS_ASK_REGION", p.SMS_ASK_REGION),
    SmsPrompt("SMS_REGION_UNKNOWN", p.SMS_REGION_UNKNOWN),
    SmsPrompt("ASK_AGE", p.ASK_AGE, p.sms_age_choices),
    SmsPrompt("ASK_GENDER", p.ASK_GENDER, p.sms_gender_choices),
    SmsPrompt("HELP_SMS", p.HELP_SMS),
    SmsPrompt("SMS_ASK_FEEDBACK", p.SMS_ASK_FEEDBACK),
    SmsPrompt("SAVED", p.SAVED),
    SmsPrompt("SMS_FORGET_CONFIRM", p.SMS_FORGET_CONFIRM, _forget_choices),
    SmsPrompt("SMS_FORGOTTEN", p.SMS_FORGOTTEN),
    SmsPrompt("FORGET_KEPT", p.FORGET_KEPT),
    SmsPrompt("SMS_EMPTY", p.SMS_EMPTY),
    SmsPrompt("SMS_MEDIA", p.SMS_MEDIA),
    SmsPrompt("SMS_NOT_WORDS", p.SMS_NOT_WORDS),
    SmsPrompt("SMS_PICK_ONE", p.SMS_PICK_ONE),
    SmsPrompt("SMS_SUBSCRIBED", p.SMS_SUBSCRIBED),
    SmsPrompt("SMS_UNSUBSCRIBED", p.SMS_UNSUBSCRIBED),
    SmsPrompt("SMS_NO_POLLS", p.SMS_NO_POLLS),
    SmsPrompt("SMS_POLL_THANKS", p.SMS_POLL_THANKS),
    SmsPrompt("SMS_POLL_CLOSED", p.SMS_POLL_CLOSED),
    SmsPrompt("SMS_POLL_OUTSIDE", p.SMS_POLL_OUTSIDE),
    # The option's own label fills {answer}: measured with one of 16 letters.
    SmsPrompt("SMS_POLL_CURRENT", p.SMS_POLL_CURRENT, None, (("answer", "X" * 16),)),
    SmsPrompt("SMS_NO_RESULTS", p.SMS_NO_RESULTS),
    SmsPrompt("SMS_ERROR", p.SMS_ERROR),
    SmsPrompt("SMS_THREAD_THANKS", SMS_THREAD_THANKS, None, (("code", SAMPLE_CODE),)),
    SmsPrompt("SMS_UPDATES_ASK", p.SMS_UPDATES_ASK, _updates_choices),
    SmsPrompt("SMS_UPDATES_ON", p.SMS_UPDATES_ON),
    SmsPrompt("SMS_UPDATES_OFF", p.SMS_UPDATES_OFF),
)


# Replies the updates question may be appended to: thanks for a first message, or the help
# that ends the profile questions when the first message came before consent.
ASKED_AFTER = ("SMS_THANKS", "HELP_SMS")


def language_menu(hint: str | None) -> Reply:
    """The language question as the engine sends it by SMS: all in Latin letters, one GSM-7 part.

    With a hint (a known language, or LANGUAGE typed) it asks in that language; a first SMS
    whose language cannot be told asks in Azerbaijani, Russian and English.
    """
    return Reply(p.sms_language_question(hint), p.sms_language_choices(), hint)


@dataclass(frozen=True)
class SegmentLine:
    """One message in one language: the text as sent and what it costs against its limit."""

    name: str
    language: str
    text: str
    info: SegmentInfo
    limit: int

    @property
    def fits(self) -> bool:
        return self.info.segments <= self.limit

    def describe(self) -> str:
        verdict = "ok" if self.fits else f"TOO LONG (limit {self.limit})"
        return (
            f"{self.name:<22} {self.language:<4} {self.info.encoding:<6} "
            f"{self.info.units:>4} units  {self.info.segments} segment(s)  {verdict}"
        )


def _line(name: str, language: str, reply: Reply, transliterate: str, limit: int) -> SegmentLine:
    body = sms_text(reply, transliterate)
    return SegmentLine(name, language, body, count_segments(body), limit)


def prompt_lines(
    transliterate: str = "auto", organisation: Mapping[str, str] = DEFAULT_NAMES
) -> list[SegmentLine]:
    """Every SMS prompt in every language, then the language menus, as the adapter sends them."""
    lines = [
        _line(prompt.name, lang, prompt.reply(lang, organisation), transliterate, prompt.limit)
        for prompt in SMS_PROMPTS
        for lang in LANGUAGE_CODES
    ]
    lines += [
        _line(LANGUAGE_MENU, lang, language_menu(lang), transliterate, REPLY_LIMIT)
        for lang in LANGUAGE_CODES
    ]
    lines.append(_line(LANGUAGE_MENU, NO_LANGUAGE, language_menu(None), transliterate, REPLY_LIMIT))
    # The updates question rides on the reply before it when both fit one segment.
    for prompt in SMS_PROMPTS:
        if prompt.name not in ASKED_AFTER:
            continue
        for lang in LANGUAGE_CODES:
            joined = joined_question(prompt.reply(lang), lang)
            if joined is not None:
                name = f"{prompt.name}+UPDATES_ASK"
                lines.append(_line(name, lang, joined, transliterate, REPLY_LIMIT))
    return lines


def poll_lines(polls: Iterable[PollView], transliterate: str = "auto") -> list[SegmentLine]:
    """Each poll's question with its numbered options, in every language."""
    lines = []
    for poll in polls:
        for lang in LANGUAGE_CODES:
            choices = tuple(
                Choice(f"poll:{poll.poll.id}:{i}", label)
                for i, label in enumerate(poll.labels_in(lang))
            )
            reply = Reply(poll.question_in(lang), choices, lang)
            lines.append(_line(f"poll {poll.poll.slug}", lang, reply, transliterate, POLL_LIMIT))
    return lines
