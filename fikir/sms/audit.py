"""Every message the engine can send by SMS, rendered as sent, with the segments it costs.

A reply must fit one segment and a poll question (with its numbered options) two: every part
is paid for, by us on Twilio and by the phone's owner on a local SIM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fikir.config.languages import LANGUAGE_CODES
from fikir.dialog import prompts as p
from fikir.dialog.feedback import REF_LENGTH, Recorded
from fikir.dialog.messages import Choice, Reply
from fikir.polls.model import PollView
from fikir.sms.provider import sms_text
from fikir.sms.segments import SegmentInfo, count_segments

REPLY_LIMIT = 1
POLL_LIMIT = 2
SAMPLE_CODE = Recorded("A" * REF_LENGTH, truncated=False).display_code


@dataclass(frozen=True)
class SmsPrompt:
    """A prompt the engine sends over SMS, and the choices it carries there."""

    name: str
    msgid: str
    choices: Callable[[str], tuple[Choice, ...]] | None = None
    params: tuple[tuple[str, str], ...] = ()


def _no_choices(lang: str) -> tuple[Choice, ...]:
    return ()


# What fikir/dialog/engine.py says when the channel is SMS (the Telegram-only menu is left out).
SMS_PROMPTS: tuple[SmsPrompt, ...] = (
    SmsPrompt("WELCOME", p.WELCOME, lambda lang: p.language_choices()),
    SmsPrompt("CONSENT_SMS", p.CONSENT_SMS, p.consent_choices),
    SmsPrompt("DECLINED", p.DECLINED),
    SmsPrompt("SUBSCRIBED", p.SUBSCRIBED),
    SmsPrompt("PROFILE_INTRO", p.PROFILE_INTRO),
    SmsPrompt("ASK_REGION", p.ASK_REGION, p.region_choices),
    SmsPrompt("ASK_AGE", p.ASK_AGE, p.age_choices),
    SmsPrompt("ASK_GENDER", p.ASK_GENDER, p.gender_choices),
    SmsPrompt("HELP_SMS", p.HELP_SMS),
    SmsPrompt("ASK_FEEDBACK", p.ASK_FEEDBACK),
    SmsPrompt("THANKS", p.THANKS, None, (("code", SAMPLE_CODE),)),
    SmsPrompt(
        "THANKS_TRUNCATED", p.THANKS_TRUNCATED, None, (("code", SAMPLE_CODE), ("limit", "20,000"))
    ),
    SmsPrompt("SAVED", p.SAVED),
    SmsPrompt("FORGET_CONFIRM", p.FORGET_CONFIRM, p.forget_choices),
    SmsPrompt("FORGOTTEN", p.FORGOTTEN),
    SmsPrompt("FORGET_KEPT", p.FORGET_KEPT),
    SmsPrompt("EMPTY", p.EMPTY),
    SmsPrompt("MEDIA", p.MEDIA),
    SmsPrompt("NOT_WORDS", p.NOT_WORDS),
    SmsPrompt("PICK_ONE", p.PICK_ONE),
    SmsPrompt("UNSUBSCRIBED", p.UNSUBSCRIBED),
    SmsPrompt("NO_POLLS", p.NO_POLLS),
    SmsPrompt("POLL_THANKS", p.POLL_THANKS),
    SmsPrompt("POLL_CLOSED", p.POLL_CLOSED),
    SmsPrompt("NO_RESULTS", p.NO_RESULTS),
    SmsPrompt("ERROR", p.ERROR),
)


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


def prompt_lines(transliterate: str = "auto") -> list[SegmentLine]:
    """Every SMS prompt in every language, as the SMS adapter would send it."""
    lines = []
    for prompt in SMS_PROMPTS:
        for lang in LANGUAGE_CODES:
            choices = (prompt.choices or _no_choices)(lang)
            text = p.t(lang, prompt.msgid, **dict(prompt.params))
            body = sms_text(Reply(text, choices, lang), transliterate)
            lines.append(SegmentLine(prompt.name, lang, body, count_segments(body), REPLY_LIMIT))
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
            body = sms_text(Reply(poll.question_in(lang), choices, lang), transliterate)
            name = f"poll {poll.poll.slug}"
            lines.append(SegmentLine(name, lang, body, count_segments(body), POLL_LIMIT))
    return lines
