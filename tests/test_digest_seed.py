"""A seeded half-year of feedback for the digest tests, and the figures counted from it in Python.

The expected figures are computed here from the seed itself, independently of the SQL in
fikir.digest.aggregate: months are found by converting each timestamp to Asia/Baku, effective
goals by applying the staff/respondent-over-auto rule to the seed's own lists.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.storage.models import Feedback, FeedbackTag, Respondent

TZ = "Asia/Baku"
BAKU = ZoneInfo(TZ)
MONTH = "2026-10"
WINDOW = ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10")

SENTENCES: dict[int, dict[str, str]] = {
    3: {
        "az": "Kəndimizdə poliklinika bağlanıb, həkimə getmək üçün bir saat yol gedirik",
        "ru": "В нашем районе закрыли поликлинику, до врача ехать час, лекарства дорогие",
        "en": "The clinic in our village closed and the nearest doctor is an hour away",
    },
    4: {
        "az": "Məktəbdə müəllim çatışmır, uşaqlar riyaziyyat dərsini keçmir",
        "ru": "В школе не хватает учителей, у детей нет уроков математики",
        "en": "Our school has no maths teacher since September, the children sit idle",
    },
    6: {
        "az": "Kəndimizdə beş gündür su yoxdur, qadınlar bulaqdan su daşıyır",
        "ru": "Воду дают два часа в день, а летом её нет совсем",
        "en": "There has been no running water in our street for five days now",
    },
    8: {
        "az": "Universitetdən sonra iş tapmaq mümkün deyil, gənclər xaricə gedir",
        "ru": "Работы для молодёжи нет, зарплаты маленькие, все уезжают в Россию",
        "en": "After university there are no jobs here, young people leave the region",
    },
    13: {
        "az": "Bu il yay çox isti keçdi, quraqlıqdan bağlar qurudu",
        "ru": "Этим летом была страшная жара, сады засохли от засухи",
        "en": "The summer heat dried out our orchards and the river is almost gone",
    },
    16: {
        "az": "Bələdiyyə şikayətlərimizə cavab vermir, heç kim məsuliyyət daşımır",
        "ru": "Муниципалитет не отвечает на жалобы, никто ни за что не отвечает",
        "en": "The municipality never answers our complaints and nobody is accountable",
    },
}

# Goal weights per month: water leads, climate rises sharply in October, 14 stays tiny.
WEIGHTS: dict[str, dict[int, float]] = {
    "2026-04": {6: 3, 3: 2},
    "2026-05": {6: 3, 3: 2, 8: 2, 4: 1},
    "2026-06": {6: 3, 3: 2, 8: 2, 4: 1, 16: 1},
    "2026-07": {6: 4, 3: 2, 8: 2, 4: 1, 13: 1},
    "2026-08": {6: 4, 3: 2, 8: 2, 4: 1, 13: 1},
    "2026-09": {6: 4, 3: 3, 8: 2, 4: 1, 13: 1, 16: 1},
    "2026-10": {6: 4, 3: 2, 8: 2, 4: 1, 13: 4, 16: 1},
    "2026-11": {6: 1},
}
MESSAGES_PER_MONTH = {
    "2026-04": 20, "2026-05": 30, "2026-06": 35, "2026-07": 45, "2026-08": 50,
    "2026-09": 70, "2026-10": 110, "2026-11": 20,
}  # fmt: skip


@dataclass
class Person:
    id: int
    channel: str
    language: str | None
    region: str | None
    age_band: str | None
    gender: str | None


@dataclass
class Message:
    person: Person
    created_at: datetime
    text: str | None
    language: str | None
    auto: list[tuple[int, float]]
    staff: list[int] = field(default_factory=list)
    respondent: list[int] = field(default_factory=list)

    @property
    def month(self) -> str:
        local = self.created_at.astimezone(BAKU)
        return f"{local.year:04d}-{local.month:02d}"

    @property
    def goals(self) -> set[int]:
        """The goals that count: the highest-ranked source only (staff, writer, tagger)."""
        return set(self.staff) or set(self.respondent) or {goal for goal, _ in self.auto}


def _pick(rng: random.Random, weighted: dict[str | None, float]) -> str | None:
    keys = list(weighted)
    return rng.choices(keys, weights=[weighted[k] for k in keys])[0]


def make_people(rng: random.Random, count: int) -> list[Person]:
    people = []
    for index in range(1, count + 1):
        people.append(
            Person(
                id=index,
                channel=str(_pick(rng, {"telegram": 6, "sms-twilio": 2, "sms-gateway": 2,
                                        "console": 0.4})),
                language=_pick(rng, {"az": 45, "ru": 28, "en": 10, "tly": 3, "lez": 3,
                                     "ka": 1.5, "uk": 1.5, None: 3}),
                region=_pick(rng, {"baku": 30, "ganja_dashkasan": 14, "lankaran_astara": 12,
                                   "shaki_zagatala": 9, "guba_khachmaz": 4, "nakhchivan": 2,
                                   "karabakh": 2, "undisclosed": 3, None: 3}),
                age_band=_pick(rng, {"18_24": 30, "25_34": 25, "35_54": 20, "55_plus": 10,
                                     "under_18": 2, None: 5}),
                gender=_pick(rng, {"female": 45, "male": 45, "undisclosed": 3, None: 5}),
            )
        )  # fmt: skip
    return people


def _moment(rng: random.Random, month: str) -> datetime:
    year, number = (int(p) for p in month.split("-"))
    start = datetime(year, number, 1, tzinfo=BAKU)
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=BAKU)
    span = (following - start).total_seconds()
    return (start + timedelta(seconds=rng.uniform(0, span - 1))).astimezone(UTC)


def make_messages(rng: random.Random, people: list[Person]) -> list[Message]:
    messages: list[Message] = []
    for month, count in MESSAGES_PER_MONTH.items():
        weights = WEIGHTS[month]
        goals = list(weights)
        for _ in range(count):
            person = rng.choice(people)
            primary = rng.choices(goals, weights=[weights[g] for g in goals])[0]
            auto = [(primary, round(rng.uniform(0.5, 0.99), 3))]
            if rng.random() < 0.35:
                second = rng.choice([g for g in goals if g != primary] or [primary])
                if second != primary:
                    auto.append((second, round(rng.uniform(0.3, 0.6), 3)))
            if rng.random() < 0.08:
                auto = []  # the tagger found no goal
            lang = person.language if rng.random() < 0.9 else rng.choice(["az", "ru", None])
            base = SENTENCES.get(primary, {}).get(lang or "", "")
            text = f"{base} ({len(messages)})" if base else None
            if text is None and rng.random() < 0.5:
                text = "ok"  # too short to quote
            message = Message(person, _moment(rng, month), text, lang, auto)
            roll = rng.random()
            if roll < 0.07:
                message.staff = [rng.choice([4, 16, primary])]
            elif roll < 0.11:
                message.respondent = sorted({primary, 16})
            messages.append(message)
    # Messages on the month's edges in Baku time (UTC+4): which side they fall on matters.
    edge = people[0]
    for moment in (
        datetime(2026, 10, 1, 0, 0, tzinfo=BAKU),
        datetime(2026, 9, 30, 23, 59, 59, tzinfo=BAKU),
        datetime(2026, 10, 31, 23, 59, 59, tzinfo=BAKU),
        datetime(2026, 11, 1, 0, 0, tzinfo=BAKU),
    ):
        messages.append(Message(edge, moment.astimezone(UTC), None, "az", [(6, 0.9)]))
    # A goal raised by only three people in October must stay hidden (k = 5).
    for person in people[1:4]:
        messages.append(Message(person, _moment(rng, MONTH), "Dəniz çox çirklənib, balıq azalıb",
                                "az", [(14, 0.9)]))  # fmt: skip
    return messages


def make_seed(seed: int = 20261031, people: int = 90) -> list[Message]:
    rng = random.Random(seed)
    return make_messages(rng, make_people(rng, people))


async def store_seed(session: AsyncSession, messages: list[Message]) -> None:
    """Insert respondents, feedback and tags as the dialog engine would have stored them."""
    people = {m.person.id: m.person for m in messages}
    await session.exec(
        insert(Respondent),
        params=[
            {
                "id": p.id, "pseudonym": f"p{p.id:05d}", "channel": p.channel,
                "language": p.language, "region": p.region, "age_band": p.age_band,
                "gender": p.gender, "consent_at": datetime(2026, 1, 1, tzinfo=UTC),
                "state": "menu", "state_data": "{}", "created_at": datetime(2026, 1, 1, tzinfo=UTC),
                "last_seen_at": datetime(2026, 1, 1, tzinfo=UTC),
            }
            for p in people.values()
        ],
    )  # fmt: skip
    feedback, tags = [], []
    for index, message in enumerate(messages, start=1):
        person = message.person
        feedback.append(
            {
                "id": index, "ref_code": f"R{index:06d}", "respondent_id": person.id,
                "text": message.text, "language": message.language, "channel": person.channel,
                "region": person.region, "age_band": person.age_band, "gender": person.gender,
                "redactions": 0, "created_at": message.created_at,
            }
        )  # fmt: skip
        chosen = [(g, 1.0, "staff") for g in message.staff]
        chosen += [(g, 1.0, "respondent") for g in message.respondent]
        for goal, score, source in [(g, s, "auto") for g, s in message.auto] + chosen:
            tags.append(
                {"feedback_id": index, "goal": goal, "score": score, "source": source,
                 "created_at": message.created_at}
            )  # fmt: skip
    await session.exec(insert(Feedback), params=feedback)
    await session.exec(insert(FeedbackTag), params=tags)


# Independent expectations ---------------------------------------------------------------------
def in_month(messages: list[Message], month: str) -> list[Message]:
    """What people sent that month: staff's tries in the console are not counted."""
    return [m for m in messages if m.month == month and m.person.channel != "console"]


def channel_family(channel: str) -> str:
    return "sms" if channel.startswith("sms") else channel


def dimension_value(message: Message, dimension: str) -> str:
    person = message.person
    if dimension == "channel":
        return channel_family(person.channel)
    if dimension == "language":
        return message.language or "unknown"
    value = getattr(person, dimension)
    return value or "undisclosed"


def count_by(messages: list[Message], dimension: str) -> dict[str, tuple[int, int]]:
    """key -> (messages, distinct respondents)."""
    msgs: dict[str, int] = defaultdict(int)
    people: dict[str, set[int]] = defaultdict(set)
    for m in messages:
        key = dimension_value(m, dimension)
        msgs[key] += 1
        people[key].add(m.person.id)
    return {key: (msgs[key], len(people[key])) for key in msgs}


def goal_counts(messages: list[Message]) -> dict[int, tuple[int, int]]:
    msgs: dict[int, int] = defaultdict(int)
    people: dict[int, set[int]] = defaultdict(set)
    for m in messages:
        for goal in m.goals:
            msgs[goal] += 1
            people[goal].add(m.person.id)
    return {goal: (msgs[goal], len(people[goal])) for goal in msgs}


def area_counts(
    messages: list[Message], areas: dict[int, tuple[int, ...]]
) -> dict[int, tuple[int, int]]:
    found: dict[int, tuple[int, int]] = {}
    for area, goals in areas.items():
        hits = [m for m in messages if m.goals & set(goals)]
        found[area] = (len(hits), len({m.person.id for m in hits}))
    return found


def people_in(messages: list[Message]) -> int:
    return len({m.person.id for m in messages})
