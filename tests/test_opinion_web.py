"""The opinion map on the dashboard (seed from YAML, check statements, send a round) and on the
public results page in every language, with no group and no figure under k."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml
from sqlmodel import select

from fikir.config.languages import LANGUAGE_CODES
from fikir.i18n import translate
from fikir.opinion import texts as o
from fikir.opinion.synthetic import planted
from fikir.runtime import build_runtime
from fikir.storage.models import AuditEvent, Respondent
from fikir.storage.opinion_tables import OpinionStatement, OpinionVote
from tests.conftest import make_settings
from tests.test_opinion_dialog import TOPIC
from tests.test_web_helpers import client_for, plan_token_of, query, run, seed, sign_in

GROUPS = (20, 15, 3)  # the group of three must never be shown


async def _votes(settings_url: object) -> None:
    """Participants in three planted groups vote on the topic's statements."""
    settings = settings_url
    runtime = build_runtime(settings)  # type: ignore[arg-type]
    data = planted(GROUPS, 4, noise=0.0, missing=0.0, passes=0.0, seed=5)
    # Every planted group differs: group 1 agrees with all, group 2 with none, group 3 mixed.
    views = np.array([[1, 1, 1, 1], [-1, -1, -1, 1], [1, -1, 1, -1]], dtype=float)
    try:
        async with runtime.sessions() as session, session.begin():
            ids = [
                s.id
                for s in (await session.exec(select(OpinionStatement))).all()
                if s.status == "approved"
            ][:4]
            for number, truth in enumerate(data.truth):
                person = Respondent(
                    pseudonym=f"opinion-{number}".rjust(64, "0"),
                    channel="telegram",
                    language="az",
                    consent_at=datetime.now(UTC),
                )
                session.add(person)
                await session.flush()
                for sid, vote in zip(ids, views[truth], strict=True):
                    session.add(
                        OpinionVote(
                            statement_id=sid or 0, respondent_id=person.id or 0, vote=int(vote)
                        )
                    )
    finally:
        await runtime.close()


def test_dashboard_seeds_checks_and_shows_the_map_and_results_page_in_every_language(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = make_settings(tmp_path, sqlite_url)
    seed(settings, {"ana": "analyst"}, [])
    with client_for(settings) as client:
        token = sign_in(client, "ana")
        page = client.get("/admin/opinion")
        assert page.status_code == 200 and "Opinion map" in page.text
        created = client.post(
            "/admin/opinion",
            data={"csrf_token": token, "text": yaml.safe_dump(TOPIC, allow_unicode=True)},
            follow_redirects=False,
        )
        assert created.status_code == 303
        for bad_text in ("slug: [x", "9" * 5000, "slug: x\nstatements: 5", "- a\n- b"):
            bad = client.post("/admin/opinion", data={"csrf_token": token, "text": bad_text})
            assert bad.status_code == 400, bad_text
        preview = client.post("/admin/opinion/youth-centre/send", data={"csrf_token": token})
        assert "Nobody is subscribed in this audience yet." in preview.text  # a preview first
        sent = client.post(
            "/admin/opinion/youth-centre/send",
            data={"csrf_token": token, "plan_token": plan_token_of(preview.text)},
        )
        assert "Statements sent: youth-centre: 0" in sent.text  # nobody reachable yet
        run(_votes(settings))
        # A participant's statement waits for a check, then is approved from the dashboard.
        run(_pending(settings))
        page = client.get("/admin/opinion").text
        assert "Libraries in every village" in page
        [pending] = query(
            settings, select(OpinionStatement).where(OpinionStatement.status == "pending")
        )
        checked = client.post(
            f"/admin/opinion/statement/{pending.id}",
            data={"csrf_token": token, "action": "approve"},
            follow_redirects=False,
        )
        assert checked.status_code == 303
        [approved] = query(
            settings, select(OpinionStatement).where(OpinionStatement.id == pending.id)
        )
        assert approved.status == "approved"
        # One too long for an SMS reader cannot be approved: three parts or more.
        run(_pending(settings, {"ru": "Библиотеки нужны в каждом селе и в каждом посёлке. " * 3}))
        [long] = query(
            settings, select(OpinionStatement).where(OpinionStatement.status == "pending")
        )
        refused = client.post(
            f"/admin/opinion/statement/{long.id}", data={"csrf_token": token, "action": "approve"}
        )
        assert refused.status_code == 400 and re.search(r"SMS parts for \w+ readers", refused.text)
        [still] = query(settings, select(OpinionStatement).where(OpinionStatement.id == long.id))
        assert still.status == "pending"
        actions = {a.action for a in query(settings, select(AuditEvent))}
        assert {"opinion_create", "opinion_send", "opinion_approve"} <= actions

        for lang in LANGUAGE_CODES:
            html = client.get(f"/results?lang={lang}").text
            assert translate(lang, o.MAP_TITLE, topic="").split("{")[0].strip() in html, lang
            assert translate(lang, o.GROUP, n=1) in html
            assert translate(lang, o.GROUP, n=3) not in html  # three people: never a group
        html = client.get("/results?lang=en").text
        people = sorted(int(n) for n in re.findall(r"People in this group: (\d+)", html))
        assert people == [15, 20]
        votes = [int(n) for n in re.findall(r"\(votes: (\d+)\)", html)]
        assert votes and min(votes) >= settings.k_anonymity
        assert "Where the groups differ" in html


async def _pending(settings: object, texts: dict[str, str] | None = None) -> None:
    runtime = build_runtime(settings)  # type: ignore[arg-type]
    texts = texts or {"en": "Libraries in every village."}
    try:
        async with runtime.sessions() as session, session.begin():
            topic_id = (await session.exec(select(OpinionStatement))).first().topic_id  # type: ignore[union-attr]
            session.add(OpinionStatement(topic_id=topic_id, texts=json.dumps(texts)))
    finally:
        await runtime.close()
