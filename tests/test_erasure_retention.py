"""Erasure by reference code and the retention job: text goes, tag counts stay."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from fikir.dialog.threads import send_reply
from fikir.privacy.retention import apply_retention
from fikir.runtime import Runtime
from fikir.storage.models import (
    Contact,
    Feedback,
    FeedbackTag,
    PollAnswer,
    Respondent,
    ThreadMessage,
)
from tests.conftest import TEST_SECRET
from tests.harness import Conversation


async def _journey(runtime: Runtime, address: str) -> str:
    talk = Conversation(runtime.engine, channel="telegram", address=address)
    await talk.send("/start")
    await talk.press("lang:en")
    await talk.press("consent:yes")
    await talk.press("region:baku")
    await talk.press("age:skip")
    await talk.press("gender:skip")
    await talk.send("The hospital in our district has no doctors and medicine costs too much")
    match = re.search(r"\b([A-Z0-9]{3}-[A-Z0-9]{3})\b", talk.text())
    assert match, talk.text()
    return match.group(1)


async def _reply(runtime: Runtime, code: str, text: str) -> None:
    """A staff reply to the message with this reference, as the dashboard queues it."""
    async with runtime.sessions() as session, session.begin():
        found = (
            await session.exec(
                select(Feedback.id).where(Feedback.ref_code == code.replace("-", ""))
            )
        ).one()
        await send_reply(
            session,
            found or 0,
            text,
            staff_user_id=None,
            nonce=f"erasure-{code}",
            settings=runtime.settings,
            now=datetime.now(UTC),
        )


async def test_retention_blanks_old_text_and_keeps_tags(runtime: Runtime) -> None:
    first = await _journey(runtime, "111")
    await _journey(runtime, "222")
    await _reply(runtime, first, "We asked the district hospital; a doctor starts in May.")
    async with runtime.sessions() as session, session.begin():
        old = (await session.exec(select(Feedback))).first()
        assert old is not None
        old.created_at = datetime.now(UTC) - timedelta(days=800)
        session.add(old)
        for entry in (await session.exec(select(ThreadMessage))).all():
            entry.created_at = datetime.now(UTC) - timedelta(days=800)
            session.add(entry)
        session.add(
            Respondent(
                pseudonym="x" * 64,
                channel="telegram",
                last_seen_at=datetime.now(UTC) - timedelta(days=40),
            )
        )
    async with runtime.sessions() as session, session.begin():
        blanked, dropped = await apply_retention(session, datetime.now(UTC), 24)
    assert (blanked, dropped) == (1, 1)
    async with runtime.sessions() as session:
        texts = (await session.exec(select(Feedback.text))).all()
        tags = (await session.exec(select(func.count()).select_from(FeedbackTag))).one()
    assert sorted(t is None for t in texts) == [False, True]
    assert tags >= 2, "tag counts survive retention"
    async with runtime.sessions() as session:
        threads = (await session.exec(select(ThreadMessage))).all()
    assert [(entry.direction, entry.text) for entry in threads] == [("staff", None)]


async def test_forget_by_reference_code_from_the_command_line(
    runtime: Runtime, tmp_path: Path
) -> None:
    code = await _journey(runtime, "333")
    keep = await _journey(runtime, "444")
    await _reply(runtime, code, "Thank you, we passed it on.")
    await _reply(runtime, keep, "Thank you, we passed it on too.")
    answer = await Conversation(runtime.engine, channel="telegram", address="333").send(
        "Thanks, we are still waiting for a doctor"
    )
    assert answer and "Reference" in answer[0].text
    env = dict(
        os.environ,
        FIKIR_DATABASE_URL=runtime.settings.effective_database_url,
        FIKIR_SECRET_KEY=TEST_SECRET,
        FIKIR_DATA_DIR=str(tmp_path),
    )
    done = subprocess.run(
        [sys.executable, "-m", "fikir.cli", "forget", "--code", code.lower()],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    again = subprocess.run(
        [sys.executable, "-m", "fikir.cli", "forget", "--code", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert again.returncode == 1
    async with runtime.sessions() as session:
        refs = (await session.exec(select(Feedback.ref_code))).all()
        people = (await session.exec(select(func.count()).select_from(Respondent))).one()
        contacts = (await session.exec(select(func.count()).select_from(Contact))).one()
        answers = (await session.exec(select(func.count()).select_from(PollAnswer))).one()
    assert refs == [keep.replace("-", "")]
    assert people == 1 and contacts == 1 and answers == 0
    async with runtime.sessions() as session:
        threads = (await session.exec(select(ThreadMessage))).all()
        kept = (await session.exec(select(Feedback.id))).one()
    # The erased writer's thread (the reply and their answer) went; the other writer's stays.
    assert [(entry.feedback_id, entry.direction) for entry in threads] == [(kept, "staff")]
