"""The dashboard's locks: sign-in required, CSRF on every POST, roles, inert content.

Sign-in throttling is tested in test_security_sign_in.py.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from fikir.config.settings import Settings
from fikir.runtime import build_runtime
from fikir.storage.models import AuditEvent, FeedbackTag, Poll, StaffUser
from tests.conftest import make_settings
from tests.test_web_helpers import (
    INJECTION,
    PASSWORD,
    Message,
    Seeded,
    auto,
    client_for,
    csrf_of,
    seed,
    sign_in,
    token_for,
    visitor,
)

PUBLIC_PATHS = {"/admin/login", "/admin/setup"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Seeded]]:
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp("websec")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp, url)
    messages = [Message(f"p{i}", f"Su yoxdur {i}", tags=auto(6)) for i in range(6)]
    messages.append(Message("evil", INJECTION, tags=auto(16)))
    seeded = seed(
        settings,
        {"ada": "admin", "ana": "analyst", "vic": "viewer", "lock": "viewer"},
        messages,
    )
    yield settings, seeded


@pytest.fixture(scope="module")
def client(site: tuple[Settings, Seeded]) -> Iterator[TestClient]:
    with client_for(site[0]) as c:
        yield c


@pytest.fixture(scope="module")
def signed(client: TestClient) -> dict[str, tuple[TestClient, str]]:
    """One signed-in browser per role, shared by the tests that do not sign out."""
    found = {}
    for name in ("ada", "ana", "vic"):
        browser = visitor(client)
        found[name] = (browser, sign_in(browser, name))
    return found


def _count(settings: Settings, model: type, *where: object) -> int:
    async def go() -> int:
        runtime = build_runtime(settings)
        try:
            async with runtime.sessions() as session:
                query = select(func.count()).select_from(model)
                for condition in where:
                    query = query.where(condition)  # type: ignore[arg-type]
                return int((await session.exec(query)).one())
        finally:
            await runtime.close()

    return asyncio.run(go())


def _concrete(path: str, seeded: Seeded) -> str:
    feedback_id = next(iter(seeded.feedback_ids.values()))
    return (
        path.replace("{feedback_id}", str(feedback_id))
        .replace("{slug}", "no-such-poll")
        .replace("{user_id}", str(seeded.staff_ids["vic"]))
        .replace("{month}", "2026-01")
    )


def _staff_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every staff route the app serves, read from its OpenAPI schema."""
    schema = client.app.openapi()  # type: ignore[attr-defined]
    found: list[tuple[str, str]] = []
    for path, operations in schema["paths"].items():
        if not path.startswith(("/admin", "/simulator")) or path in PUBLIC_PATHS:
            continue
        found.extend((method.upper(), path) for method in sorted(operations))
    return found


def test_the_route_list_is_complete(client: TestClient) -> None:
    routes = _staff_routes(client)
    assert ("GET", "/admin/inbox") in routes
    assert ("POST", "/admin/feedback/{feedback_id}/tags") in routes
    assert ("POST", "/admin/exports/feedback") in routes
    assert len(routes) >= 25


def test_every_admin_route_refuses_without_a_session(
    site: tuple[Settings, Seeded], client: TestClient
) -> None:
    settings, seeded = site
    anonymous = visitor(client)
    for method, path in _staff_routes(client):
        url = _concrete(path, seeded)
        if method == "GET":
            response = anonymous.get(url, follow_redirects=False)
            assert response.status_code == 303, (path, response.status_code)
            assert response.headers["location"].startswith("/admin/login?next="), path
            api = anonymous.get(url, headers={"accept": "application/json"})
            assert api.status_code == 401, path
        else:
            response = anonymous.post(url, data={"csrf_token": "x"}, follow_redirects=False)
            assert response.status_code == 403, (path, response.status_code)
        assert "Su yoxdur" not in response.text


def test_every_post_refuses_without_a_valid_csrf_token(
    site: tuple[Settings, Seeded], client: TestClient, signed: dict[str, tuple[TestClient, str]]
) -> None:
    settings, seeded = site
    own, _ = signed["ada"]
    foreign_token = signed["ana"][1]
    before = (
        _count(settings, FeedbackTag),
        _count(settings, Poll),
        _count(settings, StaffUser),
        _count(settings, AuditEvent, AuditEvent.action == "export"),
    )
    posts = [(m, p) for m, p in _staff_routes(client) if m == "POST"]
    assert len(posts) >= 12
    for _, path in posts:
        url = _concrete(path, seeded)
        fields = {"goal": "3", "name": "mallory", "role": "admin", "slug": "x-poll", "fmt": "csv"}
        for token in (None, "", "forged-token", foreign_token):
            data = dict(fields)
            if token is not None:
                data["csrf_token"] = token
            response = own.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, (path, token, response.status_code)
        # A JSON body cannot carry the form token either.
        assert own.post(url, json=fields, follow_redirects=False).status_code == 403
    after = (
        _count(settings, FeedbackTag),
        _count(settings, Poll),
        _count(settings, StaffUser),
        _count(settings, AuditEvent, AuditEvent.action == "export"),
    )
    assert after == before
    # The same session with its own token does get through.
    token = token_for(own)
    response = own.post("/admin/exports/polls", data={"csrf_token": token, "fmt": "csv"})
    assert response.status_code == 200


def test_the_sign_in_form_itself_needs_the_token(client: TestClient) -> None:
    fresh = visitor(client)
    response = fresh.post(
        "/admin/login", data={"name": "ada", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert fresh.get("/admin/", follow_redirects=False).status_code == 303


def test_injection_strings_render_inert(
    site: tuple[Settings, Seeded], signed: dict[str, tuple[TestClient, str]]
) -> None:
    settings, seeded = site
    browser, _ = signed["ana"]
    evil_id = seeded.feedback_ids[f"evil:{INJECTION}"]
    pages = [
        browser.get("/admin/inbox").text,
        browser.get(f"/admin/feedback/{evil_id}").text,
        browser.get("/admin/inbox", params={"q": INJECTION}).text,
        browser.get("/admin/inbox", params={"q": "DROP TABLE"}).text,
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page
    assert html.escape("{{ 7*7 }}", quote=False) in pages[1]
    # SQL in the search box and filters is data: the table is still there, nothing matched oddly.
    odd = browser.get(
        "/admin/inbox",
        params={"q": "' OR 'a'='a", "month": "2026-01' OR '1'='1", "goal": "1 OR 1=1"},
    )
    assert odd.status_code == 200
    assert "0 messages" in odd.text
    # Only the message that really contains the words matches; LIKE wildcards are literal.
    found = browser.get("/admin/inbox", params={"q": "DROP TABLE"}).text
    assert (
        found.count('href="/admin/feedback/') == 1 and f'href="/admin/feedback/{evil_id}?' in found
    )
    assert "Fewer than 5 people" in found, "one writer: the count itself is withheld"
    assert ">0 messages<" in browser.get("/admin/inbox", params={"q": "%"}).text
    assert ">0 messages<" in browser.get("/admin/inbox", params={"q": "_"}).text
    assert _count(settings, FeedbackTag) >= 7

    # A poll whose texts are markup shows them as text, on the dashboard and to the public.
    token = token_for(browser, "/admin/polls/new")
    form = {"csrf_token": token, "slug": "xss-poll", "share_results": "1"}
    for lang in ("az", "ru", "en", "tly", "lez", "ka", "uk"):
        form[f"q_{lang}"] = f"<b onmouseover=alert(1)>{lang}</b>"
        form[f"o0_{lang}"] = "<script>alert(2)</script>"
        form[f"o1_{lang}"] = "javascript:alert(3)"
    created = browser.post("/admin/polls", data=form, follow_redirects=False)
    assert created.status_code == 303
    page = browser.get("/admin/polls/xss-poll").text
    assert "<b onmouseover" not in page and "<script>alert(2)" not in page
    assert "&lt;b onmouseover=alert(1)&gt;en&lt;/b&gt;" in page


def test_security_headers_and_cookie_flags(client: TestClient) -> None:
    fresh = visitor(client)
    response = fresh.get("/admin/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http in tests: the browser would drop a Secure cookie


def test_cookie_is_secure_behind_https(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, sqlite_url, public_url="https://fikir.example.org")
    with client_for(settings) as secure_client:
        cookie = secure_client.get("/admin/login").headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie


def test_a_forged_or_tampered_cookie_is_anonymous(
    client: TestClient, signed: dict[str, tuple[TestClient, str]]
) -> None:
    value = signed["ada"][0].cookies.get("fikir_session")
    assert value
    browser = visitor(client)
    browser.cookies.set("fikir_session", value)
    assert browser.get("/admin/", follow_redirects=False).status_code == 200
    browser.cookies.set("fikir_session", value[:-3] + ("AAA" if value[-3:] != "AAA" else "BBB"))
    assert browser.get("/admin/", follow_redirects=False).status_code == 303


def test_roles_viewer_cannot_export_retag_or_manage(
    site: tuple[Settings, Seeded], signed: dict[str, tuple[TestClient, str]]
) -> None:
    settings, seeded = site
    viewer, token = signed["vic"]
    feedback_id = next(iter(seeded.feedback_ids.values()))
    tags_before = _count(settings, FeedbackTag)
    assert viewer.get("/admin/inbox").status_code == 200  # reading is allowed
    page = viewer.get(f"/admin/feedback/{feedback_id}").text
    assert "/tags" not in page  # no re-tag form is offered
    for url, data in [
        ("/admin/exports/feedback", {"fmt": "csv"}),
        ("/admin/exports/polls", {"fmt": "xlsx"}),
        (f"/admin/feedback/{feedback_id}/tags", {"goal": "1"}),
        ("/admin/polls", {"slug": "viewer-poll"}),
        ("/admin/users", {"name": "mallory", "role": "admin"}),
        ("/simulator/send", {"text": "hi"}),
        ("/admin/digests/build", {"month": "2026-01"}),
    ]:
        response = viewer.post(url, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, url
    for url in ("/admin/users", "/admin/settings", "/simulator"):
        assert viewer.get(url).status_code == 403
    assert _count(settings, FeedbackTag) == tags_before
    exports_by_viewer = _count(
        settings,
        AuditEvent,
        AuditEvent.action == "export",
        AuditEvent.staff_user_id == seeded.staff_ids["vic"],
    )
    assert exports_by_viewer == 0
    # An analyst may not manage staff either.
    assert signed["ana"][0].get("/admin/users").status_code == 403


def test_unknown_names_and_open_redirects(client: TestClient) -> None:
    browser = visitor(client)
    token = csrf_of(browser.get("/admin/login").text)
    response = browser.post(
        "/admin/login", data={"name": "nobody", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 401
    token = csrf_of(browser.get("/admin/login").text)
    response = browser.post(
        "/admin/login",
        data={
            "name": "ana",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "https://evil.example/steal",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    for bad in ("//evil.example", "/admin\\..\\x", "javascript:alert(1)"):
        page = browser.get("/admin/login", params={"next": bad}, follow_redirects=False)
        assert page.headers["location"] == "/admin/"


def test_deactivation_ends_a_session(
    site: tuple[Settings, Seeded], signed: dict[str, tuple[TestClient, str]]
) -> None:
    settings, seeded = site
    admin, admin_token = signed["ada"]
    victim, _ = signed["vic"]
    assert victim.get("/admin/", follow_redirects=False).status_code == 200
    user_id = seeded.staff_ids["vic"]
    admin.post(f"/admin/users/{user_id}/active", data={"csrf_token": admin_token})
    assert victim.get("/admin/", follow_redirects=False).status_code == 303
    admin.post(f"/admin/users/{user_id}/active", data={"csrf_token": admin_token})
