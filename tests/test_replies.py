"""Anonymous replies from the dashboard: a thread per message, the writer's answer linked back.

Staff sign in and reply through the pages; writers talk to the real engine. Nothing is mocked:
the outbox rows, the thread, the audit trail and the pages are read back from the store.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from fikir.config.settings import Settings
from fikir.dialog import prompts as p
from fikir.dialog.feedback import display_code
from fikir.dialog.flows.thread import SMS_THREAD_THANKS, THREAD_THANKS
from fikir.dialog.threads import REPLY_CHAT, REPLY_SMS, wait_for_answer
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.outbox.segments import count_segments
from fikir.privacy.pseudonym import Pseudonymizer
from fikir.runtime import build_runtime
from fikir.storage.models import (
    AuditEvent,
    Feedback,
    OutboxMessage,
    Respondent,
    ThreadMessage,
)
from tests.conftest import TEST_SECRET
from tests.harness import Conversation, spoken
from tests.test_web_helpers import client_for, query, run, seed, sign_in, visitor

PSEUDONYMS = Pseudonymizer(TEST_SECRET.encode())
WATER_RU = "В нашем селе третью неделю нет питьевой воды, дети болеют"
ROAD_AZ = "Kəndimizə gedən yol çox pisdir, qışda maşın keçmir"
STAFF_RU = "Спасибо. Мы передали ваш вопрос в водоканал района и ждём ответа до пятницы."


async def _talk(settings: Settings, channel: str, address: str, *said: str) -> list[str]:
    """One writer says (or presses, "press:…") each thing; the texts of the last replies."""
    runtime = build_runtime(settings)
    try:
        talk = Conversation(runtime.engine, channel=channel, address=address)
        for item in said:
            if item.startswith("press:"):
                await talk.press(item.removeprefix("press:"))
            else:
                await talk.send(item)
        return [reply.text for reply in talk.last]
    finally:
        await runtime.close()


def talk(settings: Settings, channel: str, address: str, *said: str) -> list[str]:
    return run(_talk(settings, channel, address, *said))


def telegram_writer(settings: Settings, address: str, text: str, lang: str = "ru") -> int:
    """Onboard a Telegram writer who leaves one message; its feedback id."""
    talk(
        settings,
        "telegram",
        address,
        "/start",
        f"press:lang:{lang}",
        "press:consent:yes",
        "press:region:baku",
        "press:age:skip",
        "press:gender:skip",
        text,
        "/menu",
    )
    return _feedback_of(settings, "telegram", address)[-1].id or 0


def sms_writer(settings: Settings, address: str, text: str) -> int:
    """Subscribe by SMS in Russian and leave one message; its feedback id."""
    talk(settings, "sms", address, "ПОДПИСКА", "1", text)
    return _feedback_of(settings, "sms", address)[-1].id or 0


def _writer(settings: Settings, channel: str, address: str) -> Respondent:
    name = PSEUDONYMS.pseudonym(channel, address)
    return query(settings, select(Respondent).where(Respondent.pseudonym == name))[0]


def _feedback_of(settings: Settings, channel: str, address: str) -> list[Feedback]:
    writer = _writer(settings, channel, address)
    statement = (
        select(Feedback).where(Feedback.respondent_id == writer.id).order_by(col(Feedback.id))
    )
    return query(settings, statement)


def _thread(settings: Settings, feedback_id: int) -> list[ThreadMessage]:
    statement = (
        select(ThreadMessage)
        .where(ThreadMessage.feedback_id == feedback_id)
        .order_by(col(ThreadMessage.id))
    )
    return query(settings, statement)


def _outbox(settings: Settings, kind: str = "thread") -> list[OutboxMessage]:
    return query(settings, select(OutboxMessage).where(OutboxMessage.kind == kind))


def _reply(
    browser: TestClient, token: str, feedback_id: int, text: str, nonce: str, **extra: str
) -> object:
    data = {"csrf_token": token, "text": text, "nonce": nonce, "action": "send", **extra}
    return browser.post(f"/admin/feedback/{feedback_id}/reply", data=data, follow_redirects=False)


@pytest.fixture
def staff(settings: Settings) -> Settings:
    seed(settings, {"ana": "analyst", "vic": "viewer"}, [])
    return settings


def test_telegram_thread_reply_answer_and_marks(staff: Settings) -> None:
    settings = staff
    feedback_id = telegram_writer(settings, "735519284", WATER_RU)
    other_id = telegram_writer(settings, "735519285", "Автобусы ходят редко, нужен новый маршрут")
    [feedback] = query(settings, select(Feedback).where(Feedback.id == feedback_id))
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        page = browser.get(f"/admin/feedback/{feedback_id}").text
        assert "Reply to the writer" in page and 'name="text"' in page
        assert "cannot be delivered" not in page
        response = _reply(browser, token, feedback_id, STAFF_RU, "nonce-telegram-1")
        assert response.status_code == 303  # type: ignore[attr-defined]
        # The same form sent twice (a double click) queues one message.
        _reply(browser, token, feedback_id, STAFF_RU, "nonce-telegram-1")

        [queued] = _outbox(settings)
        writer = _writer(settings, "telegram", "735519284")
        assert queued.pseudonym == writer.pseudonym and queued.channel == "telegram"
        assert queued.address_enc is None  # resolved through the vault only when sent
        code = display_code(feedback.ref_code)
        expected = translate("ru", REPLY_CHAT, code=code, text=STAFF_RU)
        assert OutboundMessage.from_json(queued.payload).text == expected
        assert f"#{code}" in expected and STAFF_RU in expected
        # Exactly that writer: nobody else has anything queued.
        assert {row.pseudonym for row in query(settings, select(OutboxMessage))} == {
            writer.pseudonym
        }
        [entry] = _thread(settings, feedback_id)
        assert (entry.direction, entry.text, entry.outbox_id) == ("staff", STAFF_RU, queued.id)
        [event] = query(settings, select(AuditEvent).where(AuditEvent.action == "reply"))
        assert event.object_id == str(feedback_id) and event.staff_user_id == entry.staff_user_id
        assert event.detail == "channel telegram; 0 SMS segments"
        assert writer.state == "thread"

        # The writer answers by simply writing; it is feedback, linked into the thread.
        said = talk(settings, "telegram", "735519284", "Спасибо! Ждём, воды всё ещё нет.")
        [answer] = [
            f for f in _feedback_of(settings, "telegram", "735519284") if f.id != feedback_id
        ]
        thanks = translate("ru", THREAD_THANKS, code=display_code(answer.ref_code))
        assert said[0] == thanks
        staff_entry, writer_entry = _thread(settings, feedback_id)
        assert writer_entry.direction == "writer" and writer_entry.answer_feedback_id == answer.id
        assert writer_entry.text == answer.text == "Спасибо! Ждём, воды всё ещё нет."
        assert _writer(settings, "telegram", "735519284").state == "menu"

        # The inbox marks the thread until staff open it; the page shows the answer.
        inbox = browser.get("/admin/inbox").text
        assert inbox.count("new answer") == 1
        row = inbox[inbox.index(f"/admin/feedback/{feedback_id}?") :]
        assert "new answer" in row[: row.index("</td>")]
        assert f"/admin/feedback/{other_id}?" in inbox
        page = browser.get(f"/admin/feedback/{feedback_id}").text
        assert "Writer&#39;s answer" in page and "воды всё ещё нет" in page
        assert "new answer" not in browser.get("/admin/inbox").text

        # One answer per reply: the next message is ordinary feedback again.
        talk(settings, "telegram", "735519284", "Ещё: на остановке нет освещения")
        assert len(_thread(settings, feedback_id)) == 2

        # A viewer sees the thread but cannot reply.
        viewer = visitor(client)
        viewer_token = sign_in(viewer, "vic")
        assert 'name="text"' not in viewer.get(f"/admin/feedback/{feedback_id}").text
        refused = _reply(viewer, viewer_token, feedback_id, "hi", "nonce-viewer-01")
        assert refused.status_code == 403  # type: ignore[attr-defined]
    assert len(_outbox(settings)) == 1


def test_sms_cost_is_shown_before_sending_and_limits_hold(staff: Settings) -> None:
    settings = staff
    feedback_id = sms_writer(settings, "+994507654321", WATER_RU)
    [feedback] = query(settings, select(Feedback).where(Feedback.id == feedback_id))
    body = translate("ru", REPLY_SMS, code=display_code(feedback.ref_code), text=STAFF_RU)
    parts = count_segments(body)
    assert (parts.encoding, parts.segments) == ("UCS-2", 3)
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        page = browser.get(f"/admin/feedback/{feedback_id}").text
        assert "Show the cost" in page and "at most 3 parts" in page
        # "Send" without the preview that shows the cost only shows the cost.
        for extra in ({}, {"segments": "1"}):
            shown = _reply(browser, token, feedback_id, STAFF_RU, "nonce-sms-0001", **extra)
            assert shown.status_code == 200  # type: ignore[attr-defined]
            text = shown.text  # type: ignore[attr-defined]
            assert "SMS parts: 3 (UCS-2); estimated cost: 0.15 USD." in text
            assert "Send for about 0.15 USD" in text
            assert _outbox(settings) == []
        # Confirmed from the preview: queued once, its parts recorded and audited.
        sent = _reply(browser, token, feedback_id, STAFF_RU, "nonce-sms-0001", segments="3")
        assert sent.status_code == 303  # type: ignore[attr-defined]
        [queued] = _outbox(settings)
        assert queued.channel == "sms" and queued.segments == 3
        assert OutboundMessage.from_json(queued.payload).text == body
        [entry] = _thread(settings, feedback_id)
        assert (entry.channel, entry.segments) == ("sms", 3)
        [event] = query(settings, select(AuditEvent).where(AuditEvent.action == "reply"))
        assert event.detail == "channel sms; 3 SMS segments"

        # Longer than the limit: refused with the reason, nothing queued.
        long = _reply(browser, token, feedback_id, STAFF_RU * 3, "nonce-sms-0002", segments="7")
        assert long.status_code == 400  # type: ignore[attr-defined]
        assert re.search(r"Too long for SMS: it would cost \d+ parts; at most 3", long.text)  # type: ignore[attr-defined]
        empty = _reply(browser, token, feedback_id, "   ", "nonce-sms-0003")
        assert empty.status_code == 400 and "Write the reply first." in empty.text  # type: ignore[attr-defined]
        assert len(_outbox(settings)) == 1

    # The answer by SMS is thanked in one part and joins the thread.
    said = talk(settings, "sms", "+994507654321", "Спасибо, будем ждать. Мой сосед: 050 321 54 76")
    answer = _feedback_of(settings, "sms", "+994507654321")[-1]
    assert said == [translate("ru", SMS_THREAD_THANKS, code=display_code(answer.ref_code))]
    staff_entry, writer_entry = _thread(settings, feedback_id)
    # Redacted like any feedback: the number someone typed is not kept in the thread either.
    assert writer_entry.text == answer.text and answer.redactions >= 1
    assert "321 54 76" not in (writer_entry.text or "") and "будем ждать" in (
        writer_entry.text or ""
    )


def test_telegram_reply_longer_than_one_message_is_refused(staff: Settings) -> None:
    settings = staff
    feedback_id = telegram_writer(settings, "735519290", WATER_RU)
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        response = _reply(browser, token, feedback_id, "Вода. " * 700, "nonce-long-0001")
        assert response.status_code == 400  # type: ignore[attr-defined]
        assert "Too long for Telegram" in response.text  # type: ignore[attr-defined]
        fits = "Вода. " * 600
        assert _reply(browser, token, feedback_id, fits, "nonce-long-0002").status_code == 303  # type: ignore[attr-defined]
    assert len(_outbox(settings)) == 1


def test_stop_cancels_a_queued_reply_and_closes_the_thread(staff: Settings) -> None:
    settings = staff
    feedback_id = sms_writer(settings, "+994557654321", WATER_RU)
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        _reply(browser, token, feedback_id, "Спасибо, проверяем.", "nonce-stop-0001", segments="2")
        [queued] = _outbox(settings)
        assert queued.status == "pending"
        said = talk(settings, "sms", "+994557654321", "СТОП")
        assert said == [translate("ru", p.SMS_UNSUBSCRIBED)]
        [queued] = _outbox(settings)
        assert queued.status == "cancelled"
        assert _writer(settings, "sms", "+994557654321").state != "thread"
        page = browser.get(f"/admin/feedback/{feedback_id}").text
        assert "cancelled: the writer stopped messages" in page
        assert "asked to receive no more messages (STOP)" in page and 'name="text"' not in page
        refused = _reply(browser, token, feedback_id, "Ещё раз", "nonce-stop-0002", segments="1")
        assert refused.status_code == 409  # type: ignore[attr-defined]
        assert "+994557654321" not in refused.text  # type: ignore[attr-defined]
    assert len(_outbox(settings)) == 1
    # After STOP a message is ordinary feedback, not an answer to the thread.
    talk(settings, "sms", "+994557654321", "Вода так и не появилась у нас в селе")
    assert len(_thread(settings, feedback_id)) == 1


def test_forget_erases_the_thread(staff: Settings) -> None:
    settings = staff
    feedback_id = telegram_writer(settings, "735519300", WATER_RU)
    kept_id = telegram_writer(settings, "735519301", "Нужен детский сад в нашем районе")
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        _reply(browser, token, feedback_id, "Спасибо, проверяем.", "nonce-forget-01")
        _reply(browser, token, kept_id, "Спасибо, передали.", "nonce-forget-02")
        talk(settings, "telegram", "735519300", "Хорошо, ждём")
        assert len(_thread(settings, feedback_id)) == 2
        talk(settings, "telegram", "735519300", "/forget", "press:forget:yes")
        assert _thread(settings, feedback_id) == []
        assert query(settings, select(Feedback).where(Feedback.id == feedback_id)) == []
        assert [len(_thread(settings, kept_id))] == [1]  # someone else's thread stays
        assert len(_outbox(settings)) == 1
        gone = browser.get(f"/admin/feedback/{feedback_id}")
        assert gone.status_code == 404


def test_commands_work_while_waiting_and_the_wait_ends(staff: Settings) -> None:
    settings = staff
    feedback_id = telegram_writer(settings, "735519310", WATER_RU)
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        _reply(browser, token, feedback_id, "Спасибо, проверяем.", "nonce-cmds-0001")
    assert talk(settings, "telegram", "735519310", "/help") == [spoken("ru", p.HELP)]
    assert _writer(settings, "telegram", "735519310").state == "thread"
    said = talk(settings, "telegram", "735519310", "/menu")
    assert said == [translate("ru", p.MENU)]
    talk(settings, "telegram", "735519310", "Воду дали, спасибо")
    assert len(_thread(settings, feedback_id)) == 1

    # A wait past its days: the message is ordinary feedback.
    async def expire() -> None:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session, session.begin():
                writer = (
                    await session.exec(
                        select(Respondent).where(
                            Respondent.pseudonym == PSEUDONYMS.pseudonym("telegram", "735519310")
                        )
                    )
                ).one()
                wait_for_answer(writer, feedback_id, datetime.now(UTC) - timedelta(minutes=1))
                session.add(writer)
        finally:
            await runtime.close()

    run(expire())
    said = talk(settings, "telegram", "735519310", "Снова нет воды второй день подряд")
    assert said[0].startswith(translate("ru", p.THANKS).split("{")[0])
    assert len(_thread(settings, feedback_id)) == 1


def test_unreachable_writers_are_explained_without_identifying_them(staff: Settings) -> None:
    settings = staff
    console_id = talk_console(settings)
    blocked_id = telegram_writer(settings, "735519320", WATER_RU)
    run(_block(settings, "735519320"))
    with client_for(settings) as client:
        browser = visitor(client)
        token = sign_in(browser, "ana")
        page = browser.get(f"/admin/feedback/{console_id}").text
        assert "came through a test channel" in page and 'name="text"' not in page
        page = browser.get(f"/admin/feedback/{blocked_id}").text
        assert "no longer accepts our messages" in page
        for target in (console_id, blocked_id):
            refused = _reply(browser, token, target, "Спасибо", f"nonce-unreach-{target:04d}")
            assert refused.status_code == 409  # type: ignore[attr-defined]
    assert _outbox(settings) == []


def talk_console(settings: Settings) -> int:
    talk(
        settings,
        "console",
        "leyla.mammadova",
        "/start",
        "press:lang:az",
        "press:consent:yes",
        "press:region:skip",
        "press:age:skip",
        "press:gender:skip",
        ROAD_AZ,
    )
    return _feedback_of(settings, "console", "leyla.mammadova")[-1].id or 0


async def _block(settings: Settings, address: str) -> None:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            name = PSEUDONYMS.pseudonym("telegram", address)
            writer = (
                await session.exec(select(Respondent).where(Respondent.pseudonym == name))
            ).one()
            writer.blocked = True  # as the outbox worker marks it after Telegram's 403
            session.add(writer)
    finally:
        await runtime.close()
