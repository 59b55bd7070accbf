"""A multiple-choice survey question on Telegram: toggle buttons (tick, untick, then Done)
beside typed replies; a forged or stale toggle changes and stores nothing. Over the real
`fikir run` and the loopback Bot API, as tests/test_survey_e2e_telegram.py."""

from __future__ import annotations

import pytest

from fikir.surveys import texts
from tests.fakes.fikir_process import table_rows
from tests.fakes.telegram_server import FakeUser, SentMessage
from tests.harness import spoken
from tests.test_survey_e2e_telegram import Service, _onboard, _open_survey, _press, _say, service

__all__ = ["service"]  # the module's service, as tests/test_survey_e2e_telegram.py builds it

pytestmark = pytest.mark.asyncio(loop_scope="module")

LALE = FakeUser(7512345611, "Lalə", "Məmmədova", "lale_m_2003", "az")
OLEG = FakeUser(7512345612, "Олег", "Петров", "oleg_petrov_77", "ru")
PROBLEMS = ["Su kəsilir", "Çirkli su", "Baha", "Uzaqdır"]


def _labels(message: SentMessage) -> list[str]:
    return [label for label, _ in message.choices()]


async def _forge(service: Service, user: FakeUser, data: str) -> list[SentMessage]:
    """A callback with `data` on the last message with buttons, as a tampering client sends."""
    fake = service.fake
    before = len(fake.to_chat(user.id))
    last = next(m for m in reversed(fake.to_chat(user.id)) if m.buttons)
    fake.queue(fake.callback_update(user, last, data))
    return (await fake.replies(user.id, before + 1, timeout=20))[before:]


def _answers(service: Service) -> list[tuple[int, str, int]]:
    rows = table_rows(service.process.data_dir / "fikir.db", "survey_answer")
    return sorted((int(str(r["position"])), str(r["value"]), int(str(r["skipped"]))) for r in rows)


async def test_multiple_choice_by_toggle_buttons(service: Service) -> None:
    await _onboard(service, LALE)
    before = len(service.fake.to_chat(LALE.id))
    await _open_survey(service.process.database_url)
    await service.fake.replies(LALE.id, before + 1, timeout=30)

    [second] = await _press(service, LALE, "Bəzən")
    assert "(2/3)" in second.text and spoken("az", texts.HINT_TAP) in second.text
    assert spoken("az", texts.HINT_MULTIPLE) in second.text  # typing "1 3" still works
    done, skip, stop = (spoken("az", m) for m in (texts.DONE, texts.SKIP_WORD, texts.STOP))
    assert _labels(second) == [*PROBLEMS, done, skip, stop]
    survey_id = second.choices()[0][1].split(":")[1]

    [ticked] = await _press(service, LALE, "Su kəsilir")
    assert "(2/3)" in ticked.text
    assert _labels(ticked)[:4] == ["✓ Su kəsilir", "Çirkli su", "Baha", "Uzaqdır"]
    [ticked] = await _press(service, LALE, "Uzaqdır")
    assert _labels(ticked)[:4] == ["✓ Su kəsilir", "Çirkli su", "Baha", "✓ Uzaqdır"]
    [ticked] = await _press(service, LALE, "✓ Su kəsilir")  # untick
    assert _labels(ticked)[:4] == ["Su kəsilir", "Çirkli su", "Baha", "✓ Uzaqdır"]

    # Forged: a choice that does not exist, a toggle on a question that is not a multiple
    # choice, junk after "t". Each shows the same question with the same ticks, nothing stored.
    for data in (
        f"survey:{survey_id}:1:t9",
        f"survey:{survey_id}:2:t0",
        f"survey:{survey_id}:1:tx",
        f"survey:{survey_id}:0:done",
    ):
        [shown] = await _forge(service, LALE, data)
        assert "(2/3)" in shown.text, (data, shown.text)
        assert _labels(shown)[:4] == ["Su kəsilir", "Çirkli su", "Baha", "✓ Uzaqdır"], data
    assert _answers(service) == [(0, "2", 0)]

    [third] = await _press(service, LALE, done)
    assert "(3/3)" in third.text, third.text
    assert _answers(service) == [(0, "2", 0), (1, "3", 0)]
    # Stale: a toggle and a Done of the question already answered change nothing; the
    # question that waits now is shown again.
    for data in (f"survey:{survey_id}:1:t0", f"survey:{survey_id}:1:done"):
        [shown] = await _forge(service, LALE, data)
        assert "(3/3)" in shown.text, (data, shown.text)
    assert _answers(service) == [(0, "2", 0), (1, "3", 0)]
    [thanks] = await _say(service, LALE, "6")
    assert thanks.text == spoken("az", texts.THANKS)


async def test_done_before_any_tick_asks_again(service: Service) -> None:
    await _onboard(service, OLEG)
    [menu_or_first] = await _say(service, OLEG, "/polls")
    assert "(1/3)" in menu_or_first.text, menu_or_first.text
    [second] = await _press(service, OLEG, "Нет")
    done = spoken("ru", texts.DONE)
    assert done in _labels(second)
    [again] = await _press(service, OLEG, done)
    assert again.text.startswith(spoken("ru", texts.NOT_UNDERSTOOD)) and "(2/3)" in again.text
    [ticked] = await _press(service, OLEG, "Дорого")
    assert "✓ Дорого" in _labels(ticked)
    [unread] = await _say(service, OLEG, "не знаю что")  # unreadable: the tick is kept
    assert unread.text.startswith(spoken("ru", texts.NOT_UNDERSTOOD))
    assert "✓ Дорого" in _labels(unread)
    [third] = await _press(service, OLEG, done)
    assert "(3/3)" in third.text
