"""Acceptance: the real `fikir run` polls the loopback Bot API, and people talk to it by buttons.

Leyla (az), Oleg (ru) and Nino (ka) go from /start through consent and the profile questions
to feedback and a poll answer, pressing the buttons they are shown. The last test searches the
database and the logs for any of their ids, usernames or names.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from fikir.bot.staff import DIGEST_NONE, STAFF_LINKED
from fikir.config.languages import LANGUAGE_CODES
from fikir.dialog import prompts as p
from fikir.i18n import translate
from fikir.polls.manage import PollSpec, create_poll, set_status
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.storage.engine import create_async_db_engine, make_sessionmaker
from tests.conftest import TEST_SECRET
from tests.fakes.fikir_process import (
    FikirProcess,
    personal_data_found,
    settle,
    snapshot,
    table_rows,
)
from tests.fakes.telegram_server import FakeTelegram, FakeUser, SentMessage
from tests.harness import spoken

pytestmark = pytest.mark.asyncio(loop_scope="module")

LEYLA = FakeUser(7412345678, "Leyla", "Məmmədova", "leyla_mammadova_93", "az")
OLEG = FakeUser(7423456789, "Олег", "Петренко", "oleg_petrenko_kyiv", "ru")
NINO = FakeUser(7434567890, "ნინო", "ბერიძე", "nino_beridze_mrn", "ka")
TURAN = FakeUser(7445678901, "Turan", "Hüseynli", "turan_h_2004", "az")
RAUF = FakeUser(7456789012, "Ramazan", "Əliyev", "ramazan_aliyev_un", "en")
GUEST = FakeUser(7467890123, "Günay", "Səfərova", "gunay_sefer", "tr")
EVERYONE = [LEYLA, OLEG, NINO, TURAN, RAUF, GUEST]

FEEDBACK = {
    "az": "Kəndimizdə içməli su yoxdur, uşaqlar xəstələnir. Bələdiyyə heç nə etmir.",
    "ru": "В нашем посёлке нет питьевой воды, дети болеют, а администрация молчит.",
    "ka": "ჩვენს სოფელში სასმელი წყალი არ არის, ბავშვები ავად ხდებიან.",
}
POLL = PollSpec(
    slug="water-priority",
    question={
        "az": "Kəndinizdə ən vacib problem hansıdır?",
        "ru": "Какая проблема в вашем селе самая важная?",
        "en": "What is the most important problem in your village?",
        "tly": "Şımə diyədə ən vacib problem kamiyə?",
        "lez": "Квез хуьре виридалайни важиб проблема вуж я?",
        "ka": "რომელია ყველაზე მნიშვნელოვანი პრობლემა თქვენს სოფელში?",
        "uk": "Яка проблема у вашому селі найважливіша?",
    },
    options=(
        {
            "az": "Su",
            "ru": "Вода",
            "en": "Water",
            "tly": "Ov",
            "lez": "Яд",
            "ka": "წყალი",
            "uk": "Вода",
        },
        {
            "az": "Yollar",
            "ru": "Дороги",
            "en": "Roads",
            "tly": "Roon",
            "lez": "Рехъер",
            "ka": "გზები",
            "uk": "Дороги",
        },
        {
            "az": "İş yerləri",
            "ru": "Работа",
            "en": "Jobs",
            "tly": "Kor",
            "lez": "Кӏвалахар",
            "ka": "სამუშაო",
            "uk": "Робота",
        },
    ),
)


@dataclass
class Service:
    fake: FakeTelegram
    process: FikirProcess

    @property
    def database(self) -> Path:
        return self.process.data_dir / "fikir.db"

    async def settle(self) -> None:
        await settle(self.fake, self.database, timeout=30)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def service(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Service]:
    fake = FakeTelegram()
    await fake.start()
    process = FikirProcess(
        tmp_path_factory.mktemp("bot-polling"),
        {"FIKIR_TELEGRAM_TOKEN": fake.token, "FIKIR_TELEGRAM_API_URL": fake.url},
    )
    try:
        await process.start()
        await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), 20, "polling")
        await _open_poll(process.database_url)
        yield Service(fake, process)
    finally:
        await process.stop()
        await fake.stop()


async def _open_poll(url: str) -> None:
    db = create_async_db_engine(url)
    try:
        async with make_sessionmaker(db)() as session, session.begin():
            await create_poll(session, POLL)
            await set_status(session, POLL.slug, "open", datetime.now(UTC))
    finally:
        await db.dispose()


async def _step(
    service: Service,
    user: FakeUser,
    expected: list[str],
    *,
    say: str | None = None,
    press: str | None = None,
) -> list[SentMessage]:
    """Say something or press a button on the last message; the replies must be `expected`."""
    fake = service.fake
    before = len(fake.to_chat(user.id))
    if say is not None:
        fake.say(user, say)
    else:
        assert press is not None
        fake.press(user, _last_with_keyboard(fake, user), press)
    messages = (await fake.replies(user.id, before + len(expected), timeout=20))[before:]
    texts = [m.text for m in messages]
    for text, want in zip(texts, expected, strict=True):
        assert re.fullmatch(want, text), f"{text!r} does not read {want!r}"
    return messages


def _last_with_keyboard(fake: FakeTelegram, user: FakeUser) -> SentMessage:
    return next(m for m in reversed(fake.to_chat(user.id)) if m.buttons)


def _exact(lang: str, msgid: str) -> str:
    return re.escape(spoken(lang, msgid))


def _with_code(lang: str, msgid: str) -> str:
    marker = "REFCODE"
    return re.escape(spoken(lang, msgid, code=marker)).replace(marker, r"[A-Z0-9]{3}-[A-Z0-9]{3}")


async def _journey(service: Service, user: FakeUser) -> None:
    lang = str(user.language_code)
    t = translate
    [welcome] = await _step(service, user, [_exact(lang, p.WELCOME)], say="/start")
    assert [label for label, _ in welcome.choices()] == [
        "Azərbaycanca",
        "Русский",
        "English",
        "Tolışi",
        "Лезги чӀал",
        "ქართული",
        "Українська",
        "Жуьгьури",
    ]
    [consent] = await _step(service, user, [_exact(lang, p.CONSENT)], press=f"lang:{lang}")
    assert [label for label, _ in consent.choices()] == [
        t(lang, p.CONSENT_YES),
        t(lang, p.CONSENT_NO),
    ]
    _, region = await _step(
        service,
        user,
        [_exact(lang, p.PROFILE_INTRO), _exact(lang, p.ASK_REGION)],
        press=t(lang, p.CONSENT_YES),
    )
    assert region.choices()[0] == (t(lang, "Baku"), "region:baku")
    await _step(service, user, [_exact(lang, p.ASK_AGE)], press=t(lang, "Lankaran-Astara"))
    await _step(service, user, [_exact(lang, p.ASK_GENDER)], press="age:18_24")
    [menu] = await _step(service, user, [_exact(lang, p.MENU)], press="gender:skip")
    assert [label for label, _ in menu.choices()][:2] == [
        t(lang, p.MENU_FEEDBACK),
        t(lang, p.MENU_POLLS),
    ]
    await _step(service, user, [_exact(lang, p.ASK_FEEDBACK)], press=t(lang, p.MENU_FEEDBACK))
    fake = service.fake
    before = len(fake.to_chat(user.id))
    fake.say(user, FEEDBACK[lang])
    await fake.wait_for(lambda: any(m.buttons for m in fake.to_chat(user.id)[before:]), 20)
    thanks, *rest = fake.to_chat(user.id)[before:]
    assert re.fullmatch(_with_code(lang, p.THANKS), thanks.text)
    if rest[0].text == t(lang, p.TOPIC_ASK):
        # The engine asks which topic the message is about; the first choice answers it.
        [topics] = rest
        await _step(
            service, user, [_exact(lang, p.TOPIC_THANKS), _exact(lang, p.UPDATES_ASK)],
            press=topics.choices()[0][1],
        )  # fmt: skip
    else:
        assert [m.text for m in rest] == [t(lang, p.UPDATES_ASK)]
    # After the first message, once: would they like updates on what is done? Yes.
    await _step(service, user, [_exact(lang, p.UPDATES_ON)], press=t(lang, p.UPDATES_YES))
    [question] = await _step(
        service, user, [re.escape(POLL.question[lang])], press=t(lang, p.MENU_POLLS)
    )
    assert [label for label, _ in question.choices()] == [o[lang] for o in POLL.options]
    await _step(service, user, [_exact(lang, p.POLL_THANKS)], press=POLL.options[1][lang])


async def test_three_languages_from_start_to_poll_answer_by_buttons(service: Service) -> None:
    await asyncio.gather(*(_journey(service, user) for user in (LEYLA, OLEG, NINO)))
    await service.settle()
    fake = service.fake
    assert fake.unanswered_callbacks() == set()
    assert all(count == 1 for count in fake.answered.values())
    for user in (LEYLA, OLEG, NINO):
        messages = fake.to_chat(user.id)
        # 15 when the topic of the feedback was asked; the updates question is asked either way
        assert len(messages) in (13, 15)
        # Every keyboard that was used is gone; only the last one (the menu) is left.
        keyboards = [m.keyboard_removed for m in messages if m.keyboard_removed or m.buttons]
        assert keyboards == [True] * (len(keyboards) - 1) + [False]

    pseudonyms = Pseudonymizer(TEST_SECRET.encode())
    respondents = table_rows(service.database, "respondent")
    answers = table_rows(service.database, "poll_answer")
    feedback = table_rows(service.database, "feedback")
    for user in (LEYLA, OLEG, NINO):
        lang = str(user.language_code)
        pseudonym = pseudonyms.pseudonym("telegram", str(user.id))
        [respondent] = [r for r in respondents if r["pseudonym"] == pseudonym]
        assert (respondent["language"], respondent["region"], respondent["age_band"]) == (
            lang,
            "lankaran_astara",
            "18_24",
        )
        [answer] = [a for a in answers if a["respondent_id"] == respondent["id"]]
        assert (answer["position"], answer["language"]) == (1, lang)  # "roads", their language
        [written] = [f for f in feedback if f["respondent_id"] == respondent["id"]]
        assert written["text"] == FEEDBACK[lang]
    presses = sum(1 for u in fake.history if "callback_query" in u)
    assert (
        len(table_rows(service.database, "processed_event")) == 3 * 2 + presses
    )  # /start and the feedback, typed


async def test_media_is_answered_and_contacts_and_places_are_not_kept(service: Service) -> None:
    fake = service.fake
    for kind in ("voice", "photo", "sticker", "location", "contact"):
        fake.queue(fake.media_update(TURAN, kind))
    await fake.replies(TURAN.id, 5, timeout=20)
    await service.settle()
    assert {m.text for m in fake.to_chat(TURAN.id)} == {translate("az", p.MEDIA)}
    raw = b"".join(path.read_bytes() for path in service.process.database_files)
    for kept_out in (b"994501112233", b"40.40926", b"49.86709"):
        assert kept_out not in raw


async def test_groups_hear_nothing(service: Service) -> None:
    fake = service.fake
    group_id = -1004455667788
    group: dict[str, object] = {"id": group_id, "type": "supergroup", "title": "Lənkəran gəncləri"}
    before = snapshot(service.database)
    for text in ("salam", "/start", "Yollar pisdir, kömək edin"):
        fake.queue(fake.text_update(TURAN, text, chat=group))
    await service.settle()
    assert fake.to_chat(group_id) == []
    after = snapshot(service.database)
    assert after["respondent"] == before["respondent"] and after["feedback"] == before["feedback"]


async def test_an_unsupported_interface_language_gets_the_three_main_ones(service: Service) -> None:
    [welcome] = await _step(service, GUEST, ["(?s).+"], say="/start")
    for lang in ("az", "ru", "en"):
        assert spoken(lang, p.WELCOME) in welcome.text
    await _step(service, GUEST, [_exact("uk", p.CONSENT)], press="lang:uk")


async def test_staff_added_by_the_cli_link_their_chat(service: Service) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIKIR_", "TWILIO_"))}
    env.update(FIKIR_DATA_DIR=str(service.process.data_dir), FIKIR_SECRET_KEY=TEST_SECRET)
    command = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "fikir.cli",
        "staff",
        "add",
        "UN analyst one",
        "--role",
        "analyst",
        "--lang",
        "az",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await command.communicate()
    assert command.returncode == 0, err.decode()
    code = re.search(r"/staff (\S+)", out.decode())
    assert code is not None
    await _step(service, RAUF, [_exact("az", STAFF_LINKED)], say=f"/staff {code.group(1)}")
    await _step(service, RAUF, [_exact("az", DIGEST_NONE)], say="/digest")
    staff = table_rows(service.database, "staff_user")
    [analyst] = [row for row in staff if row["name"] == "UN analyst one"]
    assert analyst["telegram_pseudonym"] and analyst["link_code_hash"] is None
    assert code.group(1) not in json.dumps(staff, default=str)


async def test_a_redelivered_update_changes_nothing(service: Service) -> None:
    fake = service.fake
    feedback_update = next(
        u for u in fake.history if u.get("message", {}).get("text") == FEEDBACK["az"]
    )
    press_update = next(u for u in reversed(fake.history) if "callback_query" in u)
    await service.settle()
    before = snapshot(service.database)
    sent = len(fake.sent)
    fake.redeliver(feedback_update)
    fake.redeliver(press_update)
    await service.settle()
    await asyncio.sleep(1.2)
    assert len(fake.sent) == sent
    after = snapshot(service.database)
    assert _queued(after) == _queued(before)
    for table in ("respondent", "feedback", "feedback_tag", "poll_answer", "processed_event"):
        assert after[table] == before[table], table


def _queued(tables: dict[str, list[tuple[object, ...]]]) -> list[tuple[object, ...]]:
    """What the outbox holds (id, dedupe key, message), whatever the delivery state."""
    return [(row[0], row[1], row[6]) for row in tables["outbox_message"]]


async def test_commands_are_registered_in_every_two_letter_language(service: Service) -> None:
    commands = service.fake.commands
    assert set(commands) == {None} | {code for code in LANGUAGE_CODES if len(code) == 2}
    for lang in ("az", "ru", "ka"):
        descriptions = {c["command"]: c["description"] for c in commands[lang]}
        assert set(descriptions) == {
            "start",
            "help",
            "language",
            "feedback",
            "polls",
            "results",
            "news",
            "opinion",
            "forget",
        }
        assert descriptions["polls"] == translate(lang, p.MENU_POLLS)


async def test_the_webhook_route_is_closed_while_polling(service: Service) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{service.process.url}/webhooks/telegram",
            json={"update_id": 1},
            headers={"X-Telegram-Bot-Api-Secret-Token": "anything"},
        )
    assert response.status_code == 404


FLOOD_USERS = [
    FakeUser(
        7500000000 + 7919 * i,
        f"Sevinc{i:03d}",
        f"Quliyeva{i:03d}",
        f"sevinc_{i:03d}_q",
        ("az", "ru", "en", "ka", "uk")[i % 5],
    )
    for i in range(200)
]


def _flood_script(user: FakeUser, i: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Five messages (typed and pressed) and the six replies they must get, in order."""
    hint = str(user.language_code)
    lang = LANGUAGE_CODES[i % len(LANGUAGE_CODES)]
    sends = [("say", "/start"), ("press", f"lang:{lang}"), ("press", "consent:yes")]
    sends += [("say", "2"), ("say", "1")]  # the second region, the first age band, by number
    replies = [spoken(hint, p.WELCOME), spoken(lang, p.CONSENT)]
    replies += [translate(lang, p.PROFILE_INTRO), translate(lang, p.ASK_REGION)]
    replies += [translate(lang, p.ASK_AGE), translate(lang, p.ASK_GENDER)]
    return sends, replies


async def test_flood_of_200_users_times_5_messages_within_telegrams_limits(
    service: Service,
) -> None:
    fake = service.fake
    expected = {}
    started = time.monotonic()
    updates = 0
    for i, user in enumerate(FLOOD_USERS):
        sends, expected[user.id] = _flood_script(user, i)
        for kind, value in sends:
            if kind == "say":
                fake.say(user, value)
            else:
                fake.queue(fake.callback_update(user, None, value))
            updates += 1
    assert updates == 1000
    total = sum(len(replies) for replies in expected.values())
    await fake.wait_for(fake.all_acknowledged, 150, "every update acknowledged")
    processed = time.monotonic() - started
    await fake.wait_for(
        lambda: sum(len(fake.to_chat(uid)) for uid in expected) >= total, 150, "every reply"
    )
    elapsed = time.monotonic() - started
    await service.settle()
    print(
        f"\nflood: {updates} updates processed in {processed:.1f} s; {total} replies sent in "
        f"{elapsed:.1f} s ({total / elapsed:.1f}/s); peak {fake.max_rate()}/s overall, "
        f"{fake.max_chat_rate()}/s per chat"
    )
    assert fake.violations == []
    for user in FLOOD_USERS:
        assert [m.text for m in fake.to_chat(user.id)] == expected[user.id]
    assert fake.max_rate() <= 30
    assert fake.max_chat_rate() <= 1
    assert fake.unanswered_callbacks() == set()
    assert fake.all_acknowledged()
    pseudonyms = Pseudonymizer(TEST_SECRET.encode())
    flood = {pseudonyms.pseudonym("telegram", str(u.id)) for u in FLOOD_USERS}
    rows = [r for r in table_rows(service.database, "respondent") if r["pseudonym"] in flood]
    assert len(rows) == 200
    assert {(r["region"], r["age_band"]) for r in rows} == {("absheron_khizi", "under_18")}


async def test_no_trace_of_any_user_in_tables_files_or_logs(service: Service) -> None:
    await service.settle()
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status tells why.
    assert await service.process.stop() in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in service.process.logs()
    needles = set()
    for user in EVERYONE + FLOOD_USERS:
        needles |= {str(user.id), user.first_name, str(user.last_name), str(user.username)}
    found = personal_data_found(service.process.database_files, service.process.logs(), needles)
    assert found == []
    assert "Traceback" not in service.process.logs()
