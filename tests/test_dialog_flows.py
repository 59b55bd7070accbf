"""The engine's flows, end to end against a real store, in az, ru and en."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from fikir.dialog import prompts as p
from fikir.runtime import Runtime
from fikir.storage.models import Contact, Feedback, FeedbackTag, Respondent
from tests.harness import Conversation

FEEDBACK = {
    "az": "Kəndimizdə üç gündür su yoxdur, uşaqlar məktəbə gedə bilmir. Zəng edin: 050 123 45 67",
    "ru": "В нашем селе уже неделю нет газа, дети мёрзнут. Мой номер +994 55 765 43 21",
    "en": "There are no jobs for young people in our town, everyone leaves for Russia.",
}


async def _count(runtime: Runtime, model: type) -> int:
    async with runtime.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
async def test_whole_journey(runtime: Runtime, lang: str) -> None:
    talk = Conversation(runtime.engine, address=f"user-{lang}")
    await talk.send("/start")
    assert {c.payload for c in talk.choices()} >= {"lang:az", "lang:ru", "lang:en", "lang:ka"}

    await talk.press(f"lang:{lang}")
    assert talk.said(lang, p.CONSENT)
    assert [c.payload for c in talk.choices()] == ["consent:yes", "consent:no"]
    assert await _count(runtime, Contact) == 0  # nothing kept before consent

    await talk.send("1")
    assert talk.said(lang, p.ASK_REGION)
    assert len(talk.choices()) == 17

    await talk.send("8")  # Lankaran-Astara, typed as a number
    assert talk.said(lang, p.ASK_AGE)
    await talk.press("age:18_24")
    assert talk.said(lang, p.ASK_GENDER)
    skip_label = p.t(lang, p.SKIP)
    await talk.send(skip_label.lower())  # the label typed, in lower case
    assert talk.said(lang, p.MENU)

    await talk.send(FEEDBACK[lang])
    assert talk.said(lang, p.THANKS, code="")
    async with runtime.sessions() as session:
        feedback = (await session.exec(select(Feedback))).one()
        respondent = (await session.exec(select(Respondent))).one()
        tags = (await session.exec(select(FeedbackTag))).all()
    assert feedback.region == "lankaran_astara" and feedback.age_band == "18_24"
    assert feedback.gender is None
    assert feedback.language == lang
    assert feedback.text is not None and "123 45 67" not in feedback.text
    assert "765 43 21" not in feedback.text
    assert tags, "feedback about water, gas or jobs gets at least one SDG"
    assert feedback.ref_code.replace("-", "") in talk.text().replace("-", "")
    assert respondent.language == lang and respondent.consent_at is not None

    await talk.send("/forget")
    assert talk.said(lang, p.FORGET_CONFIRM)
    await talk.send("1")
    assert talk.said(lang, p.FORGOTTEN)
    for model in (Respondent, Contact, Feedback, FeedbackTag):
        assert await _count(runtime, model) == 0


async def test_declining_consent_keeps_nothing(runtime: Runtime) -> None:
    talk = Conversation(runtime.engine, address="decliner")
    await talk.send("Salam, kəndimizdə yol çox pisdir, heç kim təmir etmir")
    await talk.press("lang:az")
    await talk.press("consent:no")
    assert talk.said("az", p.DECLINED)
    assert await _count(runtime, Respondent) == 0
    assert await _count(runtime, Feedback) == 0


async def test_first_message_waits_for_consent_then_counts(runtime: Runtime) -> None:
    talk = Conversation(runtime.engine, address="eager", language_hint="ru")
    await talk.send("У нас в деревне нет нормальной дороги, скорая не может доехать")
    assert await _count(runtime, Feedback) == 0
    await talk.press("lang:ru")
    await talk.send("да")
    assert talk.said("ru", p.THANKS, code="")
    assert await _count(runtime, Feedback) == 1


async def test_redelivered_message_changes_nothing(runtime: Runtime) -> None:
    from fikir.dialog.messages import Inbound, Outcome

    first = Inbound(channel="telegram", address="42", text="/start", external_id="update-7")
    handled = await runtime.engine.handle(first)
    assert handled.outcome is Outcome.REPLIED and handled.replies
    again = await runtime.engine.handle(first)
    assert again.outcome is Outcome.DUPLICATE and again.replies == ()


async def test_language_can_change_at_any_time(runtime: Runtime) -> None:
    talk = Conversation(runtime.engine, address="switcher")
    await talk.send("/start")
    await talk.press("lang:en")
    await talk.press("consent:yes")
    await talk.send("dil")
    assert "lang:uk" in {c.payload for c in talk.choices()}
    await talk.press("lang:ru")
    assert talk.said("ru", p.SAVED)
    await talk.send("/help")
    assert talk.said("ru", p.HELP)


async def test_sms_first_message_answered_in_its_language(runtime: Runtime) -> None:
    talk = Conversation(runtime.engine, channel="sms", address="+994551112233")
    await talk.send("Salam, bizim kənddə qaz yoxdur, qışda çox çətin olur")
    assert talk.said("az", p.CONSENT_SMS)
    await talk.send("1")
    assert talk.said("az", p.SMS_THANKS, code="")
    assert talk.said("az", p.SMS_ASK_REGION)  # by SMS the district is typed, not chosen
    assert await _count(runtime, Contact) == 1
    await talk.send("Lerikdə yaşayıram")
    assert talk.said("az", p.ASK_AGE)
    assert [c.label for c in talk.choices()][:2] == ["<18", "18-24"]
    async with runtime.sessions() as session:
        person = (await session.exec(select(Respondent))).one()
    assert person.region == "lankaran_astara"
    await talk.send("STOP")
    assert talk.said("az", p.SMS_UNSUBSCRIBED)
    assert await _count(runtime, Contact) == 0
