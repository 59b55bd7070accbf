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

from fikir.privacy.retention import apply_retention
from fikir.runtime import Runtime
from fikir.storage.models import Contact, Feedback, FeedbackTag, PollAnswer, Respondent
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


async def test_retention_blanks_old_text_and_keeps_tags(runtime: Runtime) -> None:
    await _journey(runtime, "111")
    await _journey(runtime, "222")
    async with runtime.sessions() as session, session.begin():
        old = (await session.exec(select(Feedback))).first()
        assert old is not None
        old.created_at = datetime.now(UTC) - timedelta(days=800)
        session.add(old)
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


async def test_forget_by_reference_code_from_the_command_line(
    runtime: Runtime, tmp_path: Path
) -> None:
    code = await _journey(runtime, "333")
    keep = await _journey(runtime, "444")
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
