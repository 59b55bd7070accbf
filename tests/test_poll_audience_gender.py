"""Polls can target gender and age groups: in YAML, the dashboard form, the broadcast and on
every answer path (Audience.includes)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from fikir.cli.demo import DEMO_POLL
from fikir.dialog import prompts as p
from fikir.dialog.outreach import open_poll
from fikir.polls.manage import PollError, PollSpec, create_poll
from fikir.polls.model import Audience
from fikir.runtime import Runtime
from fikir.storage.models import OutboxMessage, PollAnswer
from tests.harness import Conversation


async def _person(
    runtime: Runtime, channel: str, address: str, age: str, gender: str
) -> Conversation:
    talk = Conversation(runtime.engine, channel=channel, address=address)
    await talk.send("/start")
    await talk.press("lang:en")
    await talk.press("consent:yes")
    await talk.press("region:baku")
    await talk.press(f"age:{age}")
    await talk.press(f"gender:{gender}")
    return talk


def _spec(audience: dict[str, list[str]]) -> PollSpec:
    data = copy.deepcopy(DEMO_POLL)
    data["audience"] = audience
    return PollSpec.from_dict(data)


async def test_gender_and_age_decide_who_gets_and_may_answer(runtime: Runtime) -> None:
    woman = await _person(runtime, "telegram", "tg-w", "18_24", "female")
    man = await _person(runtime, "telegram", "tg-m", "18_24", "male")
    older = await _person(runtime, "sms", "+994505550077", "55_plus", "female")
    spec = _spec({"genders": ["female"], "age_bands": ["18_24"]})
    assert spec.audience == Audience(genders=("female",), age_bands=("18_24",))
    async with runtime.sessions() as session, session.begin():
        await create_poll(session, spec)
        poll, queued = await open_poll(session, spec.slug, runtime.settings, datetime.now(UTC))
    assert queued == 1
    async with runtime.sessions() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert [row.channel for row in rows if row.kind == "poll"] == ["telegram"]
    await man.press(f"poll:{poll.id}:0")  # a forwarded button: refused for the wrong gender
    assert man.said("en", p.POLL_OUTSIDE)
    await older.send("1")
    assert not older.said("en", p.POLL_THANKS)
    await woman.press(f"poll:{poll.id}:1")
    assert woman.said("en", p.POLL_THANKS)
    async with runtime.sessions() as session:
        answers = (await session.exec(select(PollAnswer))).all()
    assert [(a.gender, a.position) for a in answers] == [("female", 1)]


def test_unknown_gender_or_age_band_is_refused() -> None:
    from fikir.polls.manage import validate

    with pytest.raises(PollError, match="genders: unknown woman"):
        validate(_spec({"genders": ["woman"]}))
    with pytest.raises(PollError, match="age_bands: unknown 18-24"):
        validate(_spec({"age_bands": ["18-24"]}))
    assert Audience.from_json(Audience(genders=("male",)).to_json()).genders == ("male",)


def test_cli_creates_and_lists_a_poll_for_a_gender_and_age_group(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fikir.cli import app
    from tests.conftest import TEST_SECRET

    env = {
        "FIKIR_DATA_DIR": str(tmp_path / "var"),
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_ENV": "test",
    }
    assert CliRunner().invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    data = copy.deepcopy(DEMO_POLL)
    data["audience"] = {"genders": ["female"], "age_bands": ["18_24"]}
    spec = tmp_path / "poll.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    created = CliRunner().invoke(app, ["poll", "create", "--file", str(spec)], env=env)
    assert created.exit_code == 0, created.output
    listed = CliRunner().invoke(app, ["poll", "list"], env=env)
    assert "age_bands=18_24 genders=female" in listed.output, listed.output
    data["slug"], data["audience"] = "bad-gender", {"genders": ["w"]}
    spec.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused = CliRunner().invoke(app, ["poll", "create", "--file", str(spec)], env=env)
    assert refused.exit_code != 0 and "genders: unknown w" in refused.output
