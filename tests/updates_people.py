"""People for the "you said, we did" tests, met through the real dialog on Telegram and SMS.

Twenty should receive the water update (goal 6, Lankaran-Astara and Shirvan-Salyan): on
Telegram 5 in Azerbaijani (one of them Georgian-speaking, who gets the Azerbaijani text), 2 in
Russian, 1 in English; by SMS 6 in Azerbaijani and 6 in Russian. Everyone else is one reason
not to: said no, never answered, another region, another goal, wrote too long ago, re-tagged by
staff, unsubscribed, or on a channel fikir cannot write first on.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from fikir.dialog import prompts as p
from fikir.i18n import translate
from fikir.runtime import Runtime
from fikir.storage.models import Feedback, FeedbackTag, Respondent
from tests.harness import Conversation

WATER = {
    "az": "Kəndimizdə içməli su yoxdur, uşaqlar xəstələnir.",
    "ru": "В нашем посёлке нет питьевой воды, дети болеют.",
    "en": "There is no drinking water in our village, children get sick.",
    "ka": "ჩვენს სოფელში სასმელი წყალი არ არის, ბავშვები ავად ხდებიან.",
}
ROADS = "Yollarımız çox pisdir, qışda maşın keçmir."
LANKARAN, SHIRVAN = "lankaran_astara", "shirvan_salyan"
DISTRICT = {SHIRVAN: "Salyan", LANKARAN: "Lənkəran", "baku": "Bakı"}


@dataclass(frozen=True)
class Person:
    """One participant and how their conversation goes."""

    key: str
    channel: str
    lang: str
    region: str = LANKARAN
    answer: str = "yes"  # to the updates question: yes, no, or ignore (writes more instead)
    text: str = ""
    days_ago: int = 0
    stop: bool = False  # unsubscribes afterwards
    retag: int | None = None  # staff re-tag the message to this goal
    receives: bool = False

    @property
    def address(self) -> str:
        number = zlib.crc32(self.key.encode()) % 10_000_000
        return f"+99450{number:07d}" if self.channel == "sms" else str(7_100_000_000 + number)

    @property
    def chat_id(self) -> int:
        return int(self.address)

    @property
    def said(self) -> str:
        return self.text or WATER[self.lang]


def _people() -> list[Person]:
    tg = [Person(f"tg-az-{i}", "telegram", "az", receives=True) for i in range(4)]
    tg += [Person("tg-ka", "telegram", "ka", receives=True)]
    tg += [Person(f"tg-ru-{i}", "telegram", "ru", receives=True) for i in range(2)]
    tg += [Person("tg-en", "telegram", "en", receives=True)]
    sms = [Person(f"sms-az-{i}", "sms", "az", SHIRVAN, receives=True) for i in range(6)]
    sms += [Person(f"sms-ru-{i}", "sms", "ru", SHIRVAN, receives=True) for i in range(6)]
    others = [
        Person("tg-no", "telegram", "az", answer="no"),
        Person("tg-ignore", "telegram", "az", answer="ignore"),
        Person("tg-baku", "telegram", "az", region="baku"),
        Person("tg-roads", "telegram", "az", text=ROADS),
        Person("tg-old", "telegram", "az", days_ago=250),
        Person("tg-retag", "telegram", "az", retag=9),
        Person("sms-stop", "sms", "az", SHIRVAN, stop=True),
        Person("console", "console", "az"),
    ]
    return tg + sms + others


PEOPLE = _people()
RECIPIENTS = [person for person in PEOPLE if person.receives]


async def _chat(runtime: Runtime, person: Person) -> Conversation:
    talk = Conversation(runtime.engine, channel=person.channel, address=person.address)
    await talk.send("/start")
    await talk.press(f"lang:{person.lang}")
    await talk.press("consent:yes")
    await talk.press(f"region:{person.region}")
    await talk.press("age:25_34")
    await talk.press("gender:skip")
    when = datetime.now(UTC) - timedelta(days=person.days_ago)
    await talk.send(person.said, received_at=when)
    topics = [c.payload for c in talk.choices() if c.payload.startswith("topic:")]
    if topics:
        # The writer names the topic: water when offered, else "something else".
        chosen = next((t for t in topics if t.endswith(":6")), topics[-1])
        await talk.press(chosen)
    return talk


async def _sms(runtime: Runtime, person: Person) -> Conversation:
    talk = Conversation(runtime.engine, channel="sms", address=person.address)
    await talk.send("QOŞUL" if person.lang == "az" else "ПОДПИСКА")
    for reply in ("1", DISTRICT[person.region], "2", "3"):  # consent, district, age, gender
        await talk.send(reply)
    await talk.send(person.said)
    return talk


async def meet(runtime: Runtime, person: Person) -> Conversation:
    """Onboard the person, take their message, and answer the updates question their way."""
    talk = await (_sms(runtime, person) if person.channel == "sms" else _chat(runtime, person))
    asked = [c.payload for c in talk.choices()]
    assert asked == ["updates:yes", "updates:no"], (person.key, talk.text())
    if person.answer == "ignore":
        replies = await talk.send(ROADS)  # more feedback instead of an answer
        assert not any(translate(person.lang, p.UPDATES_ASK)[:30] in r.text for r in replies)
    else:
        await talk.send("1" if person.answer == "yes" else "2")
        done = p.UPDATES_ON if person.answer == "yes" else p.UPDATES_OFF
        assert talk.said(person.lang, done), (person.key, talk.text())
    if person.stop:
        await talk.send("STOP")
    return talk


async def meet_everyone(runtime: Runtime) -> dict[str, Conversation]:
    talks = {person.key: await meet(runtime, person) for person in PEOPLE}
    async with runtime.sessions() as session, session.begin():
        for person in PEOPLE:
            if person.retag is None:
                continue
            name = runtime.services.pseudonymizer.pseudonym(person.channel, person.address)
            feedback = (
                await session.exec(
                    select(Feedback)
                    .join(Respondent, col(Respondent.id) == col(Feedback.respondent_id))
                    .where(Respondent.pseudonym == name)
                )
            ).one()
            session.add(
                FeedbackTag(feedback_id=feedback.id or 0, goal=person.retag, source="staff")
            )
    return talks
