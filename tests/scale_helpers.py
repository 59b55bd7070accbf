"""Shared by the scale tests: onboarded SMS subscribers, `fikir run` wired to the loopback Twilio."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx
from sqlalchemy import func, text
from sqlmodel import Session, select

from fikir.privacy.pseudonym import Pseudonymizer
from fikir.privacy.vault import Vault
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import Contact, Respondent
from tests.conftest import TEST_SECRET
from tests.fakes.twilio_server import FakeTwilio

PUBLIC_URL = "https://fikir.example.org"  # what Twilio signs; nginx forwards to each instance
SMS_PATH = "/webhooks/twilio/sms"


def phones(count: int, start: int = 0) -> list[str]:
    return [f"+99455{n:07d}" for n in range(start, start + count)]


def seed_subscribers(url: str, numbers: list[str], language: str = "az") -> None:
    """Consented SMS subscribers at the menu, with their numbers in the vault for broadcasts;
    long-standing ones, already asked whether they want updates (they said no), so that what
    they send is feedback and not an answer to that one-off question."""
    pseudonyms = Pseudonymizer(TEST_SECRET.encode())
    vault = Vault(TEST_SECRET.encode())
    now = datetime.now(UTC)
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        for number in numbers:
            pseudonym = pseudonyms.pseudonym("sms", number)
            session.add(
                Respondent(
                    pseudonym=pseudonym,
                    channel="sms",
                    language=language,
                    state="menu",
                    consent_at=now,
                    profile_asked=True,
                    subscribed=True,
                    updates_opt_in=False,
                )
            )
            session.add(Contact(pseudonym=pseudonym, channel="sms", address_enc=vault.seal(number)))
        session.commit()
    engine.dispose()


def twilio_env(fake: FakeTwilio, database_url: str, **extra: str) -> dict[str, str]:
    env = {
        "FIKIR_DATABASE_URL": database_url,
        "FIKIR_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "FIKIR_TWILIO_FROM": "+994125550000",
        "FIKIR_TWILIO_API_URL": fake.url,
        "FIKIR_LOG_LEVEL": "INFO",
    }
    env.update(extra)
    return env


async def post_sms(
    client: httpx.AsyncClient, fake: FakeTwilio, base: str, params: dict[str, str]
) -> httpx.Response:
    """One inbound SMS as Twilio posts it, signed over the public URL."""
    return await fake.post_webhook(client, f"{base}{SMS_PATH}", f"{PUBLIC_URL}{SMS_PATH}", params)


def scalar(url: str, sql: str) -> int:
    engine = create_sync_db_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar()
    engine.dispose()
    return int(value or 0)


def count_rows(url: str, model: type[object]) -> int:
    engine = create_sync_db_engine(url)
    with Session(engine) as session:
        value = session.exec(select(func.count()).select_from(model)).one()
    engine.dispose()
    return int(value)


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float, what: str, every: float = 0.2
) -> float:
    """Wait until `check` holds; returns the seconds it took, fails the test after `timeout`."""
    started = time.monotonic()
    while not await check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        await asyncio.sleep(every)
    return time.monotonic() - started
