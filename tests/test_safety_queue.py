"""The safety queue and the referral contacts on the dashboard: who may see them, every look and
change audited (and shown on the item), never any message text in the audit trail; and the
digest that would have quoted a safety message quotes it nowhere, showing a suppressed count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, delete, select

from fikir.config.settings import Settings
from fikir.digest.aggregate import aggregate_month
from fikir.digest.build import framework_for
from fikir.digest.period import Month
from fikir.digest.render import summary_text
from fikir.runtime import build_runtime
from fikir.storage.models import AuditEvent
from fikir.storage.safety_tables import FeedbackSafety, ReferralConfig, SafetyCase
from tests.conftest import make_settings, truncate
from tests.test_web_helpers import Message, Seeded, client_for, run, seed, sign_in, visitor

FLAGGED = "Muxtar məni sizə şikayət etdiyim üçün döydü, indi qorxuram evdən çıxmağa"
# Neither names a theme concept (fikir.digest.concepts), so the digest quotes them oldest first.
ORDINARY = "Gecələr küçələr çox qaranlıqdır, polis az görünür"


def _messages() -> list[Message]:
    # The flagged message comes first: by age it is the one a digest would quote first.
    found = [Message("victim", FLAGGED, tags=((16, "auto"),))]
    found += [Message(f"p{i}", f"{ORDINARY} {i}", tags=((16, "auto"),)) for i in range(6)]
    return found


async def _flag(settings: Settings, feedback_id: int) -> int:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            session.add(FeedbackSafety(feedback_id=feedback_id, category="violence"))
            session.add(FeedbackSafety(feedback_id=feedback_id, category="reprisal"))
            case = SafetyCase(feedback_id=feedback_id, created_at=datetime.now(UTC))
            session.add(case)
            await session.flush()
            return case.id or 0
    finally:
        await runtime.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, Seeded, int, TestClient]]:
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp(f"safety-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'fikir.db'}"
        upgrade(url)
    else:
        url = str(request.getfixturevalue("postgres_url"))
        truncate(url)
    settings = make_settings(tmp, url)
    seeded = seed(settings, {"ada": "admin", "ana": "analyst", "vic": "viewer"}, _messages())
    case_id = run(_flag(settings, seeded.feedback_ids[f"victim:{FLAGGED}"]))
    with client_for(settings) as client:
        yield settings, seeded, case_id, client


async def _audit(settings: Settings) -> list[AuditEvent]:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session:
            return list((await session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))).all())
    finally:
        await runtime.close()


def test_viewers_cannot_open_the_queue_analysts_can(site: tuple) -> None:  # type: ignore[type-arg]
    settings, seeded, case_id, client = site
    viewer = visitor(client)
    sign_in(viewer, "vic")
    assert viewer.get("/admin/safety").status_code == 403
    assert viewer.get(f"/admin/safety/{case_id}").status_code == 403
    assert "/admin/safety" not in viewer.get("/admin/").text
    analyst = visitor(client)
    sign_in(analyst, "ana")
    page = analyst.get("/admin/safety")
    assert page.status_code == 200 and FLAGGED[:30] in page.text
    assert "Violence, Reprisal for taking part" in page.text
    assert analyst.get("/admin/safety/contacts").status_code == 403  # admins only


def test_viewers_do_not_meet_safety_messages_in_the_inbox(site: tuple) -> None:  # type: ignore[type-arg]
    """The inbox is every role's; a safety message there is for those who read the queue."""
    settings, seeded, case_id, client = site
    flagged_id = seeded.feedback_ids[f"victim:{FLAGGED}"]
    viewer = visitor(client)
    sign_in(viewer, "vic")
    assert FLAGGED[:30] not in viewer.get("/admin/inbox").text
    assert f"/admin/feedback/{flagged_id}?" not in viewer.get("/admin/inbox").text
    assert viewer.get(f"/admin/feedback/{flagged_id}").status_code == 404
    analyst = visitor(client)
    sign_in(analyst, "ana")
    assert f"/admin/feedback/{flagged_id}?" in analyst.get("/admin/inbox").text
    assert analyst.get(f"/admin/feedback/{flagged_id}").status_code == 200


def test_each_look_and_change_is_audited_and_shown_on_the_item(site: tuple) -> None:  # type: ignore[type-arg]
    settings, seeded, case_id, client = site
    analyst = visitor(client)
    token = sign_in(analyst, "ana")
    before = len(run(_audit(settings)))
    first = analyst.get(f"/admin/safety/{case_id}")
    assert first.status_code == 200 and FLAGGED in first.text
    moved = analyst.post(
        f"/admin/safety/{case_id}/status",
        data={"status": "handled", "csrf_token": token},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert (
        analyst.post(f"/admin/safety/{case_id}/status", data={"status": "seen"}).status_code == 403
    )
    page = analyst.get(f"/admin/safety/{case_id}").text
    events = run(_audit(settings))[before:]
    mine = [e for e in events if e.object_type == "safety_case"]
    assert [e.action for e in mine] == ["safety_view", "safety_handled", "safety_view"]
    assert {e.object_id for e in mine} == {str(case_id)}
    assert {e.staff_user_id for e in mine} == {seeded.staff_ids["ana"]}
    # The item lists who looked and when; the trail holds no message text.
    table = page.split('id="looks"')[1]
    assert table.count("ana") == 3 and "marked handled" in table
    assert all(FLAGGED[:12] not in e.detail for e in events)
    assert 'id="state">Handled' in page


def test_admins_edit_the_contacts_checked_and_audited(site: tuple) -> None:  # type: ignore[type-arg]
    settings, seeded, case_id, client = site
    admin = visitor(client)
    token = sign_in(admin, "ada")
    page = admin.get("/admin/safety/contacts")
    assert page.status_code == 200 and "show_unverified: false" in page.text
    bad = admin.post("/admin/safety/contacts", data={"text": "services: [1]", "csrf_token": token})
    assert bad.status_code == 400 and "Not saved" in bad.text
    text = (
        "show_unverified: false\n"
        "fallback:\n  - {key: emergency, number: '112', name: {en: Emergency}}\n"
        "services:\n  - {key: shelter, number: '012 000 00 00', verified: true,"
        " regions: [baku], name: {en: Baku shelter}}\n"
    )
    saved = admin.post("/admin/safety/contacts", data={"text": text, "csrf_token": token})
    assert saved.status_code == 200 and "Baku shelter" in saved.text
    actions = [e.action for e in run(_audit(settings)) if e.object_type == "referral_contacts"]
    assert actions[-1] == "view" and "referral_save" in actions
    assert actions.count("referral_save") == 1  # the refused copy was not kept

    async def stored() -> list[str]:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                return list((await session.exec(select(ReferralConfig.text))).all())
        finally:
            await runtime.close()

    assert run(stored()) == [text]


async def _digest(settings: Settings) -> tuple[list[str], object]:
    runtime = build_runtime(settings)
    try:
        month = Month.of(datetime.now(UTC), settings.timezone)
        async with runtime.sessions() as session, session.begin():
            doc = await aggregate_month(
                session, month, tz=settings.timezone, k=settings.k_anonymity,
                framework=framework_for(month), now=datetime.now(UTC),
            )  # fmt: skip
        return [q.text for q in doc.quotes], doc
    finally:
        await runtime.close()


async def _unflag(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session, session.begin():
            await session.exec(delete(SafetyCase))
            await session.exec(delete(FeedbackSafety))
    finally:
        await runtime.close()


def test_the_digest_never_quotes_a_safety_message_and_counts_it_suppressed(
    site: tuple,  # type: ignore[type-arg]
) -> None:
    settings, seeded, case_id, client = site
    quotes, doc = run(_digest(settings))
    assert quotes and FLAGGED not in quotes
    assert doc.safety.messages is None and doc.safety.fewer_than_k  # type: ignore[attr-defined]
    assert '"safety": {\n    "messages": null,\n    "fewer_than_k": true' in doc.to_json()  # type: ignore[attr-defined]
    assert "fewer than 5" in summary_text(doc, "en")  # type: ignore[arg-type]
    # The control: the same message unflagged is the first quote the digest picks.
    run(_unflag(settings))
    quotes, doc = run(_digest(settings))
    assert quotes[0] == FLAGGED
    assert doc.safety.messages == 0 and not doc.safety.fewer_than_k  # type: ignore[attr-defined]
