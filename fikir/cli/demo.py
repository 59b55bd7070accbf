"""`fikir demo`: simulated respondents walk through the whole pipeline, offline, in several languages.

Everything goes through the dialog engine, exactly as Telegram and SMS users would; nothing is
written straight into tables. What happened is printed and written under the output folder.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select

from fikir.config.channels import SMS, TELEGRAM, channel_of
from fikir.config.settings import Settings
from fikir.dialog.messages import Inbound, Reply
from fikir.dialog.render import numbered
from fikir.polls.manage import PollSpec, create_poll, set_status
from fikir.polls.service import load_view, results
from fikir.runtime import Runtime, build_runtime
from fikir.storage.migrate import upgrade
from fikir.storage.models import Feedback, FeedbackTag, Poll


@dataclass(frozen=True)
class Persona:
    """A simulated respondent: how they write and what they choose."""

    name: str
    channel: str
    hint: str | None
    language: str
    region: str
    age: str
    gender: str
    feedback: str
    poll_reply: str


PERSONAS = (
    Persona(
        "Grandmother in Lerik (SMS, Azerbaijani)",
        SMS.name,
        None,
        "az",
        "lankaran_astara",
        "55_plus",
        "female",
        "Kəndimizdə 5 gündür su yoxdur, qadınlar bulaqdan su daşıyır. Yol da çox pisdir.",
        "1",
    ),
    Persona(
        "Student in Gakh, no diacritics (Telegram)",
        TELEGRAM.name,
        "az",
        "az",
        "shaki_zagatala",
        "18_24",
        "male",
        "Universitetde teqaud cox azdir, ish tapmaq mumkun deyil, gencler xariceg gedir",
        "ish",
    ),
    Persona(
        "Russian speaker in Baku (Telegram)",
        TELEGRAM.name,
        "ru",
        "ru",
        "baku",
        "25_34",
        "female",
        "В нашем районе закрыли поликлинику, до врача ехать час. Лекарства очень дорогие.",
        "второй",
    ),
    Persona(
        "IDP teacher returning to Karabakh (Telegram, English)",
        TELEGRAM.name,
        "en",
        "en",
        "karabakh",
        "35_54",
        "female",
        "Our school in the new village has no internet and not enough teachers for girls.",
        "3",
    ),
    Persona(
        "Georgian speaker in Gakh (Telegram)",
        TELEGRAM.name,
        "ka",
        "ka",
        "shaki_zagatala",
        "25_34",
        "male",
        "სოფელში გაზი არ არის, ზამთარში ძალიან ცივა და ბავშვები ავადდებიან.",
        "1",
    ),
    Persona(
        "Ukrainian speaker in Sumgait (Telegram)",
        TELEGRAM.name,
        "uk",
        "uk",
        "absheron_khizi",
        "35_54",
        "female",
        "Роботи для жінок майже немає, зарплати маленькі, ціни ростуть.",
        "2",
    ),
)

DEMO_POLL = {
    "slug": "priority-demo",
    "question": {
        "az": "Kəndinizdə/şəhərinizdə ən vacib problem hansıdır?",
        "ru": "Какая проблема в вашем селе или городе самая важная?",
        "en": "What is the most important problem where you live?",
        "tly": "Şımə diyədə ən vacib problem kamiyə?",
        "lez": "Квез хуьре виридалайни важиб месэла гьим я?",
        "ka": "რა არის ყველაზე მნიშვნელოვანი პრობლემა თქვენს საცხოვრებელ ადგილას?",
        "uk": "Яка проблема там, де ви живете, найважливіша?",
    },
    "options": [
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
            "az": "İş",
            "ru": "Работа",
            "en": "Jobs",
            "tly": "Kor",
            "lez": "Кеспи",
            "ka": "სამუშაო",
            "uk": "Робота",
        },
        {
            "az": "Məktəb",
            "ru": "Школа",
            "en": "Schools",
            "tly": "Məktəb",
            "lez": "Мектеб",
            "ka": "სკოლა",
            "uk": "Школа",
        },
    ],
}


async def _say(
    runtime: Runtime,
    persona: Persona,
    address: str,
    log: list[str],
    text: str | None = None,
    payload: str | None = None,
) -> list[Reply]:
    inbound = Inbound(
        channel=persona.channel,
        address=address,
        text=text,
        payload=payload,
        language_hint=persona.hint,
    )
    log.append(f"  → {text if text is not None else '[button ' + str(payload) + ']'}")
    replies = list((await runtime.engine.handle(inbound)).replies)
    for reply in replies:
        body = numbered(reply, compact=channel_of(persona.channel).paid)
        log.append("  ← " + body.replace("\n", "\n    "))
    return replies


async def _walk(runtime: Runtime, persona: Persona, index: int, log: list[str]) -> None:
    address = f"demo-{index}"
    log.append(f"\n## {persona.name}")
    if channel_of(persona.channel).paid:
        # SMS: the first message is the feedback itself; it waits, encrypted, for consent.
        await _say(runtime, persona, address, log, text=persona.feedback)
        await _say(runtime, persona, address, log, text="1")
    else:
        await _say(runtime, persona, address, log, text="/start")
        await _say(runtime, persona, address, log, payload=f"lang:{persona.language}")
        await _say(runtime, persona, address, log, payload="consent:yes")
    if channel_of(persona.channel).paid:
        # By SMS people type: the district's name, then numbers.
        await _say(runtime, persona, address, log, text="Lerik")
        await _say(runtime, persona, address, log, text="5")
        await _say(runtime, persona, address, log, text="1")
    else:
        await _say(runtime, persona, address, log, payload=f"region:{persona.region}")
        await _say(runtime, persona, address, log, payload=f"age:{persona.age}")
        await _say(runtime, persona, address, log, payload=f"gender:{persona.gender}")
        await _say(runtime, persona, address, log, text=persona.feedback)
    await _say(runtime, persona, address, log, text="/polls")
    await _say(runtime, persona, address, log, text=persona.poll_reply)


async def run_demo(settings: Settings, out: Path) -> None:
    """Run the scripted walk on a fresh store under `out` and print what happened."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    url = f"sqlite:///{(out / 'demo.db').as_posix()}"
    upgrade(url)
    demo_settings = settings.model_copy(update={"database_url": url, "k_anonymity": 2})
    runtime = build_runtime(demo_settings)
    log: list[str] = ["# fikir demo: what simulated respondents did and what they were told"]
    now = datetime.now(UTC)
    try:
        async with runtime.sessions() as session, session.begin():
            await create_poll(session, PollSpec.from_dict(DEMO_POLL))
            await set_status(session, "priority-demo", "open", now)
        for index, persona in enumerate(PERSONAS):
            await _walk(runtime, persona, index, log)
        async with runtime.sessions() as session, session.begin():
            poll = await set_status(session, "priority-demo", "closed", datetime.now(UTC))
        summary = await _summary(runtime, poll.id or 0)
        from fikir.digest.build import build_digest_files
        from fikir.digest.period import Month

        month = str(Month.of(datetime.now(UTC), demo_settings.timezone))
        await build_digest_files(runtime, month, out)
    finally:
        await runtime.close()
    (out / "transcripts.md").write_text("\n".join(log) + "\n", encoding="utf-8")
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print("\n".join(log))  # noqa: T201 - the demo is for people to read
    print("\n# Summary\n" + json.dumps(summary, ensure_ascii=False, indent=2))  # noqa: T201
    print(f"\nWritten to {out}/ (transcripts.md, summary.json, demo.db)")  # noqa: T201
    print(  # noqa: T201
        f"Digest: {out}/fikir-digest-{month}-{{en,az,ru}}.pdf and .html, charts/, digest.json"
    )


async def _summary(runtime: Runtime, poll_id: int) -> dict[str, object]:
    async with runtime.sessions() as session:
        feedback = (
            await session.exec(
                select(Feedback.language, func.count()).group_by(col(Feedback.language))
            )
        ).all()
        goals = (
            await session.exec(
                select(FeedbackTag.goal, func.count())
                .group_by(col(FeedbackTag.goal))
                .order_by(func.count().desc())
            )
        ).all()
        stored = (await session.exec(select(Feedback.language, Feedback.text))).all()
        view = await load_view(session, poll_id)
        poll_results = await results(session, view, runtime.settings.k_anonymity) if view else None
        polls = (await session.exec(select(func.count()).select_from(Poll))).one()
    return {
        "k_anonymity_in_this_demo": runtime.settings.k_anonymity,
        "feedback_by_language": {str(lang): n for lang, n in feedback},
        "sdg_counts": {f"SDG {goal}": n for goal, n in goals},
        "stored_feedback_redacted": [{"language": lang, "text": text} for lang, text in stored],
        "polls": polls,
        "poll_results": (
            {
                "respondents": poll_results.counts.total,
                "shown": {view.labels_in("en")[k]: v for k, v in poll_results.counts.shown.items()}
                if view
                else {},
                "merged_small_cells": poll_results.counts.other,
            }
            if poll_results
            else None
        ),
    }
