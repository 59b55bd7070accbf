"""Messages arriving together share one transaction, and each is still handled as if alone."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select

from fikir.dialog import prompts as p
from fikir.dialog.engine import DialogEngine
from fikir.dialog.messages import Handled, Inbound, Outcome, Reply
from fikir.i18n import translate
from fikir.runtime import Runtime
from fikir.storage.models import Feedback, FeedbackTag, OutboxMessage, ProcessedEvent, Respondent
from tests.scale_helpers import seed_subscribers

TEXTS = [
    "Kəndimizdə beş gündür su yoxdur, qadınlar bulaqdan su daşıyır",
    "В нашем районе закрыли поликлинику, до врача ехать час",
    "Universitetden sonra ish tapmaq mumkun deyil, gencler xarice gedir",
    "Our school has had no maths teacher since September",
]


async def onboard(runtime: Runtime, phones: list[str]) -> None:
    """People who already said yes and sit at the menu: what they write is feedback."""
    await asyncio.to_thread(seed_subscribers, runtime.settings.effective_database_url, phones)


def sms(phone: str, text: str, sid: str) -> Inbound:
    return Inbound(channel="sms", address=phone, text=text, external_id=f"twilio:{sid}")


async def count(runtime: Runtime, model: type) -> int:
    async with runtime.sessions() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


def thanked(replies: Sequence[Reply]) -> bool:
    start = translate("az", p.SMS_VARIANTS.get(p.THANKS) or p.THANKS).split("{")[0][:12]
    return any(reply.text.startswith(start) for reply in replies)


async def test_a_burst_is_stored_once_each_with_its_own_reference(runtime: Runtime) -> None:
    phones = [f"+99450100{n:04d}" for n in range(40)]
    await onboard(runtime, phones)
    burst = [sms(phone, TEXTS[n % len(TEXTS)], f"SM{n:032d}") for n, phone in enumerate(phones)]
    answers = [h.replies for h in await asyncio.gather(*(runtime.engine.handle(m) for m in burst))]
    assert all(thanked(replies) for replies in answers), answers[:3]
    async with runtime.sessions() as session:
        stored = (await session.exec(select(Feedback))).all()
        tagged = (
            await session.exec(select(func.count(func.distinct(FeedbackTag.feedback_id))))
        ).one()
    assert len(stored) == 40 and len({row.ref_code for row in stored}) == 40
    # Each person was told the reference of their own message, not a neighbour's.
    people = {
        runtime.services.pseudonymizer.pseudonym("sms", phone): replies
        for phone, replies in zip(phones, answers, strict=True)
    }
    async with runtime.sessions() as session:
        owners = {row.id: row.pseudonym for row in (await session.exec(select(Respondent))).all()}
    for row in stored:
        code = f"{row.ref_code[:3]}-{row.ref_code[3:]}"
        assert any(code in reply.text for reply in people[owners[row.respondent_id]])
    assert tagged >= 30  # every text above speaks to a goal; the tagger may miss one
    assert await count(runtime, ProcessedEvent) == 40


async def test_a_delivery_repeated_inside_one_batch_counts_once(runtime: Runtime) -> None:
    await onboard(runtime, ["+994501110000", "+994501110001"])
    first = sms("+994501110000", TEXTS[0], "SMdup")
    other = sms("+994501110001", TEXTS[1], "SMother")
    handled = await asyncio.gather(
        runtime.engine.handle(first), runtime.engine.handle(other), runtime.engine.handle(first)
    )
    answers = [h.replies for h in handled]
    assert thanked(answers[0]) and thanked(answers[1]) and answers[2] == ()
    assert handled[2].outcome is Outcome.DUPLICATE
    assert await count(runtime, Feedback) == 2
    again = await runtime.engine.handle(first)  # and later, in a batch of its own
    assert again.outcome is Outcome.DUPLICATE and again.replies == ()
    assert await count(runtime, Feedback) == 2


async def test_writing_then_forgetting_in_one_batch_leaves_nothing(runtime: Runtime) -> None:
    phone = "+994501120000"
    await onboard(runtime, [phone, "+994501120001"])
    steps = [
        sms(phone, TEXTS[0], "SMf1"),
        sms(phone, "UNUT", "SMf2"),
        Inbound(channel="sms", address=phone, text="1", external_id="twilio:SMf3"),
        sms("+994501120001", TEXTS[1], "SMf4"),
    ]
    answers = [
        h.replies for h in await asyncio.gather(*(runtime.engine.handle(step) for step in steps))
    ]
    assert thanked(answers[0]) and thanked(answers[3])
    gone = runtime.services.pseudonymizer.pseudonym("sms", phone)
    async with runtime.sessions() as session:
        left = (await session.exec(select(Respondent).where(Respondent.pseudonym == gone))).all()
        feedback = (await session.exec(select(Feedback))).all()
        tags = (
            await session.exec(
                select(FeedbackTag).where(
                    col(FeedbackTag.feedback_id).not_in([row.id for row in feedback])
                )
            )
        ).all()
    assert left == [], "the person asked to be forgotten"
    assert len(feedback) == 1 and tags == []


async def test_writing_again_after_forgetting_in_one_batch_starts_afresh(runtime: Runtime) -> None:
    """As if each message came alone: after "forget", the next one meets a newcomer's welcome."""
    phone = "+994501150000"
    await onboard(runtime, [phone])
    steps = [
        sms(phone, TEXTS[0], "SMa1"),
        sms(phone, "UNUT", "SMa2"),
        Inbound(channel="sms", address=phone, text="1", external_id="twilio:SMa3"),
        sms(phone, TEXTS[1], "SMa4"),
    ]
    answers = [
        h.replies for h in await asyncio.gather(*(runtime.engine.handle(step) for step in steps))
    ]
    assert thanked(answers[0])
    assert [reply.text for reply in answers[2]] == [translate("az", p.SMS_FORGOTTEN)]
    assert answers[3] and answers[3][-1].choices, "the newcomer is asked for consent"
    async with runtime.sessions() as session:
        people = (await session.exec(select(Respondent))).all()
    assert [(person.state, person.consent_at) for person in people] == [("consent", None)]
    assert await count(runtime, Feedback) == 0


async def test_one_failing_message_does_not_cost_the_others(runtime: Runtime) -> None:
    phones = [f"+99450130{n:04d}" for n in range(6)]
    await onboard(runtime, phones)
    real_tag = runtime.services.tag

    def tag(text: str, lang: str | None) -> list[tuple[int, float]]:
        if "BOOM" in text:
            raise RuntimeError("a tagger bug")
        return real_tag(text, lang)

    engine = DialogEngine(runtime.sessions, dataclasses.replace(runtime.services, tag=tag))
    burst = [
        sms(phone, f"{TEXTS[n % 4]} {'BOOM' if n == 2 else ''}", f"SMb{n}")
        for n, phone in enumerate(phones)
    ]
    handled = await asyncio.gather(*(engine.handle(m) for m in burst))
    answers = [h.replies for h in handled]
    assert handled[2].outcome is Outcome.APOLOGISED
    apology = translate("az", p.SMS_ERROR)
    assert [reply.text for reply in answers[2]] == [apology]
    assert all(thanked(replies) for n, replies in enumerate(answers) if n != 2)
    assert await count(runtime, Feedback) == 5


async def test_replies_of_an_abandoned_request_go_to_the_outbox(runtime: Runtime) -> None:
    """A webhook that gave up waiting (and spooled) must not cost the person their answer."""
    phone = "+994501140000"
    await onboard(runtime, [phone])
    waiting: list[asyncio.Task[Handled]] = []
    real_tag = runtime.services.tag

    def tag(text: str, lang: str | None) -> list[tuple[int, float]]:
        waiting[0].cancel()  # the caller stops waiting while its transaction runs
        return real_tag(text, lang)

    engine = DialogEngine(runtime.sessions, dataclasses.replace(runtime.services, tag=tag))
    waiting.append(asyncio.create_task(engine.handle(sms(phone, TEXTS[0], "SMlate"))))
    done, _ = await asyncio.wait(waiting)
    assert waiting[0].cancelled()
    for _ in range(50):
        async with runtime.sessions() as session:
            queued = (await session.exec(select(OutboxMessage))).all()
        if queued:
            break
        await asyncio.sleep(0.05)
    assert [row.kind for row in queued] == ["reply"]
    assert queued[0].dedupe_key == "reply:sms:twilio:SMlate:0"
    assert await count(runtime, Feedback) == 1
    replay = await engine.handle(sms(phone, TEXTS[0], "SMlate"))  # the spool's replay
    assert replay.outcome is Outcome.DUPLICATE and replay.replies == ()
