"""Staff rename, merge and hide themes and add English renderings on /admin/themes; the edits
are kept per month, audited without any words, and the next build of the month applies them
(the merged theme's people recounted here in plain SQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import col, select

from fikir.config.settings import Settings
from fikir.digest.build import build
from fikir.digest.document import DigestDocument
from fikir.digest.period import Month
from fikir.digest.render import render_html
from fikir.runtime import build_runtime
from fikir.storage.digest_edits import DigestEdit
from fikir.storage.engine import create_sync_db_engine
from fikir.storage.models import AuditEvent
from tests.conftest import make_settings, truncate
from tests.test_digest_themes import (
    DIRTY,
    FLAGGED,
    TEACHERS,
    WATER_CUT,
    WRITER_CHOSE,
    K,
    _messages,
    _recount,
)
from tests.test_web_helpers import Seeded, client_for, run, seed, sign_in, visitor


async def _build(settings: Settings) -> DigestDocument:
    runtime = build_runtime(settings)
    try:
        return await build(runtime, Month.of(datetime.now(UTC), settings.timezone))
    finally:
        await runtime.close()


async def _rows(settings: Settings, model: Any) -> list[Any]:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session:
            return list((await session.exec(select(model).order_by(col(model.id)))).all())
    finally:
        await runtime.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, Seeded, TestClient]]:
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp(f"theme-edits-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'fikir.db'}"
        upgrade(url)
    else:
        url = str(request.getfixturevalue("postgres_url"))
        truncate(url)
    settings = make_settings(tmp, url, k_anonymity=K)
    seeded = seed(settings, {"ana": "analyst", "vic": "viewer"}, _messages())
    with create_sync_db_engine(url).begin() as db:
        db.execute(
            text("INSERT INTO feedback_safety (feedback_id, category) VALUES (:f, 'threat')"),
            {"f": seeded.feedback_ids[f"f1:{FLAGGED}"]},
        )
    with client_for(settings) as client:
        yield settings, seeded, client


def test_staff_edits_are_kept_audited_and_applied_by_the_next_build(
    site: tuple[Settings, Seeded, TestClient],
) -> None:
    settings, seeded, client = site
    doc = run(_build(settings))
    keys = {t.goal: [x.key for x in doc.themes_for(t.goal)] for t in doc.themes}
    water_cut = next(t.key for t in doc.themes if "absent" in t.concepts and t.goal == 6)
    dirty = next(t.key for t in doc.themes if "dirty" in t.concepts)
    teachers = next(t.key for t in doc.themes if t.goal == 4)
    assert set(keys[6]) == {water_cut, dirty}
    page = f"/admin/themes/{doc.month}"

    viewer = visitor(client)
    viewer_token = sign_in(viewer, "vic")
    seen = viewer.get(page)
    assert seen.status_code == 200 and "water · cut off · for days" in seen.text
    refused = viewer.post(
        page, data={"kind": "theme", "key": teachers, "hidden": "1", "csrf_token": viewer_token}
    )
    assert refused.status_code == 403

    analyst = visitor(client)
    token = sign_in(analyst, "ana")

    def save(**form: str) -> str:
        response = analyst.post(page, data={**form, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303
        return str(response.headers["location"])

    name = "Water cut off in the villages"
    assert save(kind="theme", key=water_cut, name=name).endswith("status=saved")
    assert save(kind="theme", key=dirty, merge_into=water_cut).endswith("status=saved")
    assert save(kind="theme", key=teachers, hidden="1").endswith("status=saved")
    # A key the month's digest does not hold, or a merge across goals, is refused.
    assert save(kind="theme", key="6:nothing", hidden="1").endswith("status=refused")
    assert save(kind="theme", key=dirty, merge_into=teachers).endswith("status=refused")
    from fikir.digest.edits import quote_key

    english = "No water for three days, everyone in the village suffers"
    assert save(kind="quote", key=quote_key(WRITER_CHOSE), english=english).endswith("saved")
    assert len(run(_rows(settings, DigestEdit))) == 4

    events = [e for e in run(_rows(settings, AuditEvent)) if e.action.endswith("_edit")]
    assert [e.action for e in events] == ["theme_edit"] * 3 + ["quote_edit"]
    assert all(WRITER_CHOSE[:10] not in e.detail and english[:10] not in e.detail for e in events)

    rebuilt = run(_build(settings))
    data = json.loads(rebuilt.to_json())
    water = [t for t in data["themes"] if t["goal"] == 6]
    assert [t["key"] for t in water] == [water_cut]
    assert water[0]["name"] == {"az": name, "ru": name, "en": name}
    ids = [seeded.feedback_ids[f"{who}:{body}"] for who, body, _, _ in WATER_CUT + DIRTY]
    ids.append(seeded.feedback_ids[f"r1:{WRITER_CHOSE}"])
    people, regions = _recount(settings, ids)
    assert water[0]["respondents"] == people == 13
    assert {r["region"]: r["respondents"] for r in water[0]["regions"]} == regions
    assert all(t["goal"] != 4 for t in data["themes"])  # hidden
    # … and not quoted from: its messages do not fall back to the goal's other quotes.
    said = {q["text"] for q in data["quotes"]}
    assert said.isdisjoint(body for _, body, _, _ in TEACHERS)
    [quoted] = [q for q in data["quotes"] if q["text"] == WRITER_CHOSE]
    assert quoted["english"] == english
    assert water[0]["quote"]["english"] == english

    from fikir.digest.charts import chart_files

    charts = chart_files(Path(str(settings.data_dir)) / "charts", "en")
    assert english in render_html(rebuilt, "en", charts, Path(str(settings.data_dir)))
    az = render_html(rebuilt, "az", chart_files(Path("c"), "az"), Path("."))
    assert english not in az and name in az
