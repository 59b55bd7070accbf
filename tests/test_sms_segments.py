"""`fikir sms segments`: every SMS prompt in every language, counted as it will be billed."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from fikir.cli.sms import sms_app as app
from fikir.config.languages import LANGUAGE_CODES
from fikir.dialog import prompts as p
from fikir.dialog.messages import Reply
from fikir.dialog.threads import send_reply
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.polls.manage import PollSpec, create_poll, set_status
from fikir.polls.model import Audience
from fikir.runtime import Runtime
from fikir.sms.audit import (
    LANGUAGE_MENU,
    NO_LANGUAGE,
    SAMPLE_CODE,
    SMS_PROMPTS,
    SegmentLine,
    poll_lines,
    prompt_lines,
)
from fikir.sms.estimate import estimate
from fikir.sms.provider import sms_text
from fikir.sms.segments import count_segments
from fikir.storage.engine import create_async_db_engine, make_sessionmaker
from fikir.storage.models import Feedback, Poll
from tests.harness import Conversation

runner = CliRunner()
# Every language has its menu, and a first SMS in no known language gets the one in three.
MENU_LANGUAGES = (*LANGUAGE_CODES, NO_LANGUAGE)


def test_the_command_prints_every_prompt_in_every_language() -> None:
    result = runner.invoke(app, ["segments"])
    lines = result.output.splitlines()
    expected = [(prompt.name, lang) for prompt in SMS_PROMPTS for lang in LANGUAGE_CODES]
    expected += [(LANGUAGE_MENU, lang) for lang in MENU_LANGUAGES]
    expected += [(line.name, line.language) for line in prompt_lines() if "+" in line.name]
    for name, lang in expected:
        assert any(line.split()[:2] == [name, lang] and "segment(s)" in line for line in lines), (
            name,
            lang,
        )
    assert f"{len(expected)} messages checked" in lines[-1]
    too_long = [line for line in lines if "TOO LONG" in line]
    assert result.exit_code == (1 if too_long else 0)
    assert f"; {len(too_long)} too long" in lines[-1]


def test_counts_are_those_of_the_text_as_sent() -> None:
    for line in prompt_lines():
        assert line.info == count_segments(line.text)
        if line.name == LANGUAGE_MENU:
            # In Latin letters whatever the language, so that it costs one GSM-7 part.
            assert line.info.encoding == "GSM-7", line.text
        elif line.language in {"ru", "uk", "lez", "ka"}:
            assert line.info.encoding == "UCS-2", (line.name, line.language)
        assert "\n" in line.text or not line.text.count("1 ") > 1  # choices on their own line


def test_the_list_is_what_the_engine_swaps_in_for_sms() -> None:
    """Each SMS variant is audited; a chat text that has one, or is never sent by SMS, is not."""
    audited = {prompt.msgid for prompt in SMS_PROMPTS}
    variants = {short for short in p.SMS_VARIANTS.values() if short is not None}
    assert variants <= audited, variants - audited
    assert not audited & set(p.SMS_VARIANTS), audited & set(p.SMS_VARIANTS)
    for never in (p.PROFILE_INTRO, p.ASK_REGION, p.MENU, p.SETTINGS, p.TOPIC_ASK, p.WELCOME):
        assert never not in audited
    lines = prompt_lines()
    assert len({(line.name, line.language) for line in lines}) == len(lines)
    # No region list by SMS: the district is typed, and no audited SMS carries a 17-item list.
    assert all(" 17 " not in line.text for line in lines)


def test_every_sms_reply_fits_one_segment() -> None:
    """Each reply fits 1 segment in every language, the consent (said once) 2."""
    too_long = [line.describe() for line in prompt_lines() if not line.fits]
    assert not too_long, "SMS replies over one segment:\n" + "\n".join(too_long)


def test_polls_are_checked_against_two_segments(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = dict.fromkeys(LANGUAGE_CODES, "Su?")
    long = dict.fromkeys(LANGUAGE_CODES, "Bu sualın mətni çox uzundur və SMS-ə sığmır. " * 8)
    options = (dict.fromkeys(LANGUAGE_CODES, "Bəli"), dict.fromkeys(LANGUAGE_CODES, "Xeyr"))

    async def seed() -> None:
        db = create_async_db_engine(sqlite_url)
        async with make_sessionmaker(db)() as session, session.begin():
            await create_poll(session, PollSpec("short-one", short, options))
            await create_poll(session, PollSpec("long-one", long, options))
            await set_status(session, "short-one", "open", datetime.now(UTC))
        await db.dispose()

    asyncio.run(seed())  # the command runs its own event loop, so this test has none

    monkeypatch.setenv("FIKIR_DATABASE_URL", sqlite_url)
    result = runner.invoke(app, ["segments", "--polls", "--only-problems"])
    flagged = [line for line in result.output.splitlines() if line.startswith("poll ")]
    assert result.exit_code == 1
    assert flagged and all("long-one" in line and "limit 2" in line for line in flagged)
    assert len(flagged) == len(LANGUAGE_CODES)


def test_poll_lines_number_the_options() -> None:
    from fikir.polls.model import view
    from fikir.storage.models import Poll, PollOption

    poll = Poll(id=7, slug="p", question='{"az": "Yol?", "ru": "Дорога?"}')
    options = [
        PollOption(poll_id=7, position=0, labels='{"az": "Bəli", "ru": "Да"}'),
        PollOption(poll_id=7, position=1, labels='{"az": "Xeyr", "ru": "Нет"}'),
    ]
    lines = {line.language: line for line in poll_lines([view(poll, options)])}
    assert lines["ru"].text == "Дорога?\n1 Да  2 Нет"
    assert lines["az"].fits and lines["az"].limit == 2


def test_broadcast_estimate_counts_segments_and_cost() -> None:
    az = OutboundMessage("Yeni sorğu: kəndinizdə ən böyük problem nədir?", language="az")
    ru = OutboundMessage("Новый опрос: какая главная проблема в вашем селе? " * 2, language="ru")
    found = estimate([(az, 1000), (ru, 500)], cost_per_segment=0.05)
    assert found.messages == 1500
    assert found.by_language == {"az": (1000, 1000), "ru": (500, 1000)}  # az goes as GSM-7
    assert found.segments == 2000 and found.cost == pytest.approx(100.0)
    assert "1,500 SMS, 2,000 segments, about $100.00" in found.describe()


REF = re.compile(r"\b[A-Z2-9]{3}-[A-Z2-9]{3}\b")
QUESTION = dict.fromkeys(LANGUAGE_CODES, "Yol?")
OPTIONS = (dict.fromkeys(LANGUAGE_CODES, "Bəli"), dict.fromkeys(LANGUAGE_CODES, "Xeyr"))
# Sent by the engine outside Turn.say, so still in their chat form: /work/notes/requests-sms2.md.
NOT_YET_SWAPPED = {"SMS_ERROR"}  # an internal error cannot be provoked by a conversation


class Audited:
    """The audit's lines by (language, text as sent), and which of them the engine was seen to send."""

    def __init__(self, lines: list[SegmentLine]) -> None:
        self.names = {(line.language, line.text): line.name for line in lines}
        self.seen: set[str] = set()

    def check(self, replies: list[Reply], step: str) -> None:
        assert replies, step
        for reply in replies:
            if reply.text.startswith(QUESTION["az"]):
                continue  # a poll question: `fikir sms segments --polls` checks those
            body = REF.sub(SAMPLE_CODE, sms_text(reply))
            lang = reply.language or NO_LANGUAGE
            current = sms_text(Reply(translate(lang, p.SMS_POLL_CURRENT, answer="\x00"), (), lang))
            before, _, after = current.partition("\x00")
            if lang != NO_LANGUAGE and body.startswith(before) and body.endswith(after):
                self.seen.add("SMS_POLL_CURRENT")  # the answer is the poll's own label
                continue
            key = (lang, body)
            assert key in self.names, f"{step}: the engine sent an SMS the audit lacks: {key}"
            self.seen.add(self.names[key])


async def _open_poll(runtime: Runtime, slug: str) -> None:
    async with runtime.sessions() as session, session.begin():
        await create_poll(session, PollSpec(slug, QUESTION, OPTIONS))
        await set_status(session, slug, "open", datetime.now(UTC))


async def test_the_audit_holds_every_sms_the_engine_sends(sqlite_runtime: Runtime) -> None:
    """Walk every SMS flow in every language: each reply is one of the audited texts."""
    audit = Audited(prompt_lines())
    await _open_poll(sqlite_runtime, "yol")
    for n, lang in enumerate(LANGUAGE_CODES):
        talk = Conversation(sqlite_runtime.engine, channel="sms", address=f"+99450700{n:04d}")
        audit.check(await talk.send("1"), "a first SMS in no language")  # the menu in three
        number = [c.payload for c in talk.choices()].index(f"lang:{lang}") + 1
        steps: list[tuple[str | None, dict[str, str]]] = [
            (str(number), {}),  # consent
            ("9", {}),  # not an option: pick one, and the consent again
            ("1", {}),  # agreed: subscribed, which district?
            ("Qwrtz", {}),  # no such district
            ("0", {}),  # skipped: age
            ("2", {}),  # gender
            ("3", {}),  # skipped: help
            ("", {}),  # empty
            ("!!!", {}),  # no words
            ("Yolumuz çox pisdir, qışda maşın keçmir", {}),  # feedback: updates?
            ("2", {}),  # no updates
            ("Yol pisdir, mənə zəng edin: +994 50 123 45 67", {}),  # a phone taken out
            (None, {"media": "photo"}),
            ("polls", {}),  # the poll's question
            ("1", {}),  # answered
            ("polls", {}),  # answered already: the answer now, and the question again
            ("results", {}),
            ("feedback", {}),
            ("join", {}),
            ("help", {}),
            ("news", {}),  # the updates question again
            ("1", {}),  # yes
            ("language", {}),  # the menu in this language
            (str(number), {}),  # saved
            ("forget", {}),
            ("2", {}),  # kept
            ("stop", {}),
            ("forget", {}),
            ("1", {}),  # erased
        ]
        for text, extra in steps:
            audit.check(await talk.send(text, **extra), f"{lang}: {text!r}")
        other = Conversation(sqlite_runtime.engine, channel="sms", address=f"+99455700{n:04d}")
        for text in ("1", str(number), "2"):  # declined
            audit.check(await other.send(text), f"{lang} declining: {text!r}")
    # A poll that closes between its question and the answer.
    async with sqlite_runtime.sessions() as session, session.begin():
        await set_status(session, "yol", "closed", datetime.now(UTC))
    await _open_poll(sqlite_runtime, "late")
    talk = Conversation(sqlite_runtime.engine, channel="sms", address="+994507009999")
    for text in ("Salam, necəsiniz?", "1", "0", "1", "3", "polls"):
        audit.check(await talk.send(text), f"late poll: {text!r}")
    async with sqlite_runtime.sessions() as session, session.begin():
        await set_status(session, "late", "closed", datetime.now(UTC))
    audit.check(await talk.send("1"), "late poll: the answer")
    audit.check(await talk.send("polls"), "no poll open any more")
    # A poll whose audience no longer includes the person by the time they answer.
    await _open_poll(sqlite_runtime, "narrowed")
    moved = Conversation(sqlite_runtime.engine, channel="sms", address="+994507009998")
    for text in ("Salam, necəsiniz?", "1", "0", "1", "3", "polls"):
        audit.check(await moved.send(text), f"narrowed poll: {text!r}")
    async with sqlite_runtime.sessions() as session, session.begin():
        poll = (await session.exec(select(Poll).where(Poll.slug == "narrowed"))).one()
        poll.audience = Audience(regions=("nakhchivan",)).to_json()
        session.add(poll)
    audit.check(await moved.send("1"), "narrowed poll: the answer")
    # Staff reply to what they wrote; their answer to it is thanked by SMS.
    audit.check(await moved.send("Yolumuz çox pisdir, qışda maşın keçmir"), "feedback")
    async with sqlite_runtime.sessions() as session, session.begin():
        written = (await session.exec(select(Feedback.id))).all()[-1]
        await send_reply(
            session,
            written or 0,
            "Təşəkkür edirik, yoxlayırıq.",
            staff_user_id=None,
            nonce="segments-audit",
            settings=sqlite_runtime.settings,
            now=datetime.now(UTC),
        )
    audit.check(await moved.send("Sağ olun, gözləyirik"), "answer to a staff reply")
    # A first SMS that is feedback is stored at consent: the updates question follows the help
    # that ends the profile questions.
    first = Conversation(sqlite_runtime.engine, channel="sms", address="+994507009997")
    for text in ("Yolumuz çox pisdir, qışda maşın keçmir", "1", "0", "1", "3", "1"):
        audit.check(await first.send(text), f"feedback first: {text!r}")
    everything = {prompt.name for prompt in SMS_PROMPTS} | {LANGUAGE_MENU}
    everything |= {line.name for line in prompt_lines() if line.name.endswith("+UPDATES_ASK")}
    assert audit.seen == everything - NOT_YET_SWAPPED, everything - NOT_YET_SWAPPED - audit.seen
