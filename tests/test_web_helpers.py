"""Helpers shared by the web tests (no tests here): a served app, staff, seeded feedback, forms."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select
from starlette.routing import NoMatchFound

from fikir.config.settings import Settings
from fikir.runtime import build_runtime
from fikir.staff.accounts import add_staff, hash_password
from fikir.storage.models import Feedback, FeedbackTag, Poll, PollAnswer, Respondent
from fikir.web.app import create_app
from fikir.web.routes import include_pages

T = TypeVar("T")
PASSWORD = "correct horse battery staple"
INJECTION = (
    "<script>alert('xss')</script><img src=x onerror=alert(1)> "
    "'; DROP TABLE feedback; -- \" OR 1=1 {{ 7*7 }} ${7*7}"
)
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def build_app(settings: Settings) -> FastAPI:
    """The service as create_app makes it, with the pages mounted once."""
    app = create_app(settings)
    try:
        app.url_path_for("login_page")
    except NoMatchFound:
        include_pages(app)  # until create_app mounts the pages itself
    return app


@lru_cache(maxsize=1)
def password_hash() -> str:
    """argon2 is slow on purpose: hash the shared test password once per run."""
    return hash_password(PASSWORD)


@dataclass(frozen=True)
class Message:
    """One seeded message: who wrote it (a respondent key), where, and its tags."""

    who: str
    text: str
    language: str = "az"
    channel: str = "telegram"
    region: str | None = "baku"
    age_band: str | None = None
    gender: str | None = None
    tags: tuple[tuple[int, str], ...] = ()
    days_ago: int = 0


def auto(*goals: int) -> tuple[tuple[int, str], ...]:
    """Tags as the tagger would have stored them."""
    return tuple((goal, "auto") for goal in goals)


@dataclass
class Seeded:
    """Row ids of what was seeded, by respondent key and by message text."""

    feedback_ids: dict[str, int] = field(default_factory=dict)
    staff_ids: dict[str, int] = field(default_factory=dict)


async def _seed(settings: Settings, staff: dict[str, str], messages: list[Message]) -> Seeded:
    runtime = build_runtime(settings)
    seeded = Seeded()
    now = datetime.now(UTC)
    try:
        async with runtime.sessions() as session, session.begin():
            for name, role in staff.items():
                user, _ = await add_staff(session, name, role, "en", now)
                user.password_hash = password_hash()
                session.add(user)
                await session.flush()
                seeded.staff_ids[name] = user.id or 0
            people: dict[str, Respondent] = {}
            for number, message in enumerate(messages):
                person = people.get(message.who)
                if person is None:
                    person = Respondent(
                        pseudonym=f"{message.who:0>64}"[-64:],
                        channel=message.channel,
                        language=message.language,
                        region=message.region,
                        consent_at=now,
                    )
                    session.add(person)
                    await session.flush()
                    people[message.who] = person
                created = now - timedelta(days=message.days_ago)
                feedback = Feedback(
                    ref_code=f"T{number:05d}",
                    respondent_id=person.id,
                    text=message.text,
                    language=message.language,
                    channel=message.channel,
                    region=message.region,
                    age_band=message.age_band,
                    gender=message.gender,
                    created_at=created,
                )
                session.add(feedback)
                await session.flush()
                seeded.feedback_ids[f"{message.who}:{message.text}"] = feedback.id or 0
                for goal, source in message.tags:
                    session.add(
                        FeedbackTag(
                            feedback_id=feedback.id or 0,
                            goal=goal,
                            score=0.8,
                            source=source,
                            created_at=created,
                        )
                    )
    finally:
        await runtime.close()
    return seeded


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a fresh loop in a worker thread (Playwright's sync API
    keeps a loop running in the test's own thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def seed(settings: Settings, staff: dict[str, str], messages: list[Message]) -> Seeded:
    return run(_seed(settings, staff, messages))


async def _answers(settings: Settings, slug: str, positions: list[int], start: int = 0) -> None:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            poll = (await session.exec(select(Poll).where(Poll.slug == slug))).one()
            for number, position in enumerate(positions, start=start):
                person = Respondent(
                    pseudonym=f"{slug}-{number}".rjust(64, "0")[-64:],
                    channel="telegram",
                    language="az",
                    consent_at=datetime.now(UTC),
                )
                session.add(person)
                await session.flush()
                session.add(
                    PollAnswer(
                        poll_id=poll.id or 0,
                        respondent_id=person.id or 0,
                        position=position,
                        channel="telegram",
                        language="az",
                        region="baku",
                    )
                )
    finally:
        await runtime.close()


def answer(settings: Settings, slug: str, positions: list[int], start: int = 0) -> None:
    """One new respondent per entry answers the poll with that option (numbered from start)."""
    run(_answers(settings, slug, positions, start))


async def _query(settings: Settings, statement: Any) -> list[Any]:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session:
            return list((await session.exec(statement)).all())
    finally:
        await runtime.close()


def query(settings: Settings, statement: Any) -> list[Any]:
    """Rows from the store, read independently of the pages under test."""
    return run(_query(settings, statement))


@contextmanager
def client_for(settings: Settings) -> Iterator[TestClient]:
    """A TestClient running the app's lifespan (runtime, channels) for the block."""
    with TestClient(build_app(settings), base_url="http://127.0.0.1") as client:
        yield client


def visitor(client: TestClient, *, raise_server_exceptions: bool = True) -> TestClient:
    """Another visitor with its own cookies, served by the same running app and event loop."""
    other = TestClient(
        client.app, base_url="http://127.0.0.1", raise_server_exceptions=raise_server_exceptions
    )
    other.portal = client.portal  # the app's runtime lives on the lifespan's loop
    return other


def csrf_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def plan_token_of(html: str) -> str:
    """The confirmation token of a poll's "check before sending" page."""
    found = re.search(r'name="plan_token" value="([^"]+)"', html)
    assert found, "the page offers a confirmation"
    return found.group(1)


def sign_in(client: TestClient | httpx.Client, name: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the CSRF token of the new session."""
    token = csrf_of(client.get("/admin/login").text)
    response = client.post(
        "/admin/login",
        data={"name": name, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return csrf_of(client.get("/admin/").text)


def token_for(client: TestClient | httpx.Client, path: str = "/admin/") -> str:
    return csrf_of(client.get(path).text)


def write_settings(tmp_path: Path, url: str) -> Settings:
    from tests.conftest import make_settings

    return make_settings(tmp_path, url)
