"""Staff manage their own alerts on /admin/alerts: list, add (a goal and/or a region, at least
one way to be told), delete; each change audited without the address typed; nobody sees or
deletes another member's alerts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from fikir.config.settings import Settings
from fikir.storage.alert_tables import AlertSubscription
from fikir.storage.models import AuditEvent
from tests.conftest import make_settings
from tests.test_web_helpers import client_for, query, seed, sign_in, visitor


@pytest.fixture
def site(tmp_path: Path, db_url: str) -> Iterator[tuple[Settings, TestClient]]:
    settings = make_settings(tmp_path, db_url)
    seed(settings, {"vera@un.example.org": "viewer", "ana": "analyst"}, [])
    with client_for(settings) as client:
        yield settings, client


def _subs(settings: Settings) -> list[AlertSubscription]:
    return query(settings, select(AlertSubscription).order_by(col(AlertSubscription.id)))


def test_add_list_and_delete_own_alerts(site: tuple[Settings, TestClient]) -> None:
    settings, client = site
    vera = visitor(client)
    token = sign_in(vera, "vera@un.example.org")
    page = vera.get("/admin/alerts").text
    assert 'id="no-alerts"' in page
    assert '<a href="/admin/alerts" aria-current="page">My alerts</a>' in page  # in the menu
    assert 'value="vera@un.example.org"' in page  # her name is an address: offered
    assert "Your Telegram is not linked yet" in page

    refused = {
        "topic": {"goal": "", "region": "", "email": "vera@un.example.org"},
        "channel": {"goal": "6", "region": "", "email": ""},
        "email": {"goal": "6", "email": "vera@un.example.org\r\nBcc: x@y.z"},
        "frequency": {"goal": "6", "email": "vera@un.example.org", "frequency": "hourly"},
    }
    for error, form in refused.items():
        response = vera.post("/admin/alerts", data={"csrf_token": token, **form})
        assert response.status_code == 400 and 'id="alert-error"' in response.text, error
    # A goal out of range or an unknown region is "any": with neither, nothing is added.
    vera.post("/admin/alerts", data={"csrf_token": token, "goal": "18", "region": "mars",
                                     "email": "vera@un.example.org"})  # fmt: skip
    assert _subs(settings) == []

    vera.post(
        "/admin/alerts",
        data={"csrf_token": token, "goal": "6", "region": "lankaran_astara",
              "frequency": "immediate", "email": "vera@un.example.org"},
    )  # fmt: skip
    vera.post("/admin/alerts", data={"csrf_token": token, "region": "baku", "chat": "on"})
    first, second = _subs(settings)
    assert (first.goal, first.region, first.frequency, first.to_chat, first.email) == (
        6, "lankaran_astara", "immediate", False, "vera@un.example.org"
    )  # fmt: skip
    assert (second.goal, second.region, second.frequency, second.to_chat) == (
        None, "baku", "daily", True
    )  # fmt: skip
    page = vera.get("/admin/alerts").text
    assert page.count("/delete") == 2 and "Lankaran-Astara" in page and "Baku" in page

    # Another member neither sees nor deletes them.
    ana = visitor(client)
    ana_token = sign_in(ana, "ana")
    assert "/delete" not in ana.get("/admin/alerts").text
    stranger = ana.post(f"/admin/alerts/{first.id}/delete", data={"csrf_token": ana_token})
    assert stranger.status_code == 404 and len(_subs(settings)) == 2

    vera.post(f"/admin/alerts/{first.id}/delete", data={"csrf_token": token})
    assert [s.id for s in _subs(settings)] == [second.id]
    events = query(
        settings,
        select(AuditEvent)
        .where(col(AuditEvent.action).in_(("alert_add", "alert_delete")))
        .order_by(col(AuditEvent.id)),
    )
    assert [e.action for e in events] == ["alert_add", "alert_add", "alert_delete"]
    assert "goal 6, region lankaran_astara, immediate, email" in events[0].detail
    assert all("@" not in e.detail for e in events)
