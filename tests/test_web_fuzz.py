"""Fuzz every HTTP route from the OpenAPI schema (schemathesis + hypothesis): never a 500.

Each operation is driven twice: anonymously, and as a signed-in admin whose forms carry a valid
CSRF token, so that the handlers behind the locks are fuzzed too, not only the locks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fikir.config.settings import Settings
from tests.conftest import make_settings
from tests.test_web_helpers import Message, auto, build_app, seed, sign_in, visitor

EXAMPLES = int(os.environ.get("FIKIR_FUZZ_EXAMPLES", "8"))
# Signing out or in replaces the session under test; argon2 makes each login attempt slow.
NOT_AS_ADMIN = {("POST", "/admin/logout"), ("POST", "/admin/login")}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, TestClient]]:
    from fikir.storage.migrate import upgrade

    tmp: Path = tmp_path_factory.mktemp("webfuzz")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp, url)
    seed(
        settings,
        {"ada": "admin"},
        [Message(f"p{i}", f"Yol yoxdur {i}", tags=auto(9)) for i in range(6)],
    )
    app = build_app(settings)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield settings, client


def _operations(client: TestClient) -> list[Any]:
    schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
    operations: list[Any] = []
    for result in schema.get_all_operations():
        operations.append(result.ok())  # type: ignore[union-attr]  # an invalid schema fails here
    return operations


def _send(client: TestClient, case: Any, token: str | None) -> int:
    if token is not None and isinstance(case.body, dict):
        case.body["csrf_token"] = token
    kwargs = case.as_transport_kwargs(base_url="http://127.0.0.1")
    kwargs.pop("cookies", None)  # the client's own session cookie is the one under test
    kwargs["follow_redirects"] = False
    response = client.request(**kwargs)
    return int(response.status_code)


def _runner(client: TestClient, operation: Any, token: str | None, worst: dict[str, int]) -> Any:
    key = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        status = _send(client, case, token)
        worst[key] = max(worst.get(key, 0), status)
        assert status < 500, f"{key} answered {status} to {case!r}"

    return run


def _fuzz(client: TestClient, operations: list[Any], token: str | None) -> dict[str, int]:
    worst: dict[str, int] = {}
    for operation in operations:
        if token is not None and (operation.method.upper(), operation.path) in NOT_AS_ADMIN:
            continue
        _runner(client, operation, token, worst)()
    return worst


def test_fuzz_anonymous_never_500(served: tuple[Settings, TestClient]) -> None:
    _, client = served
    anonymous = visitor(client, raise_server_exceptions=False)
    operations = _operations(client)
    assert len(operations) >= 30
    worst = _fuzz(anonymous, operations, None)
    assert len(worst) == len(operations)
    # Without a session nothing behind /admin answers 200 except the sign-in pages.
    for key, status in worst.items():
        if key.startswith(("GET /admin", "POST /admin", "GET /simulator", "POST /simulator")):
            assert status in {303, 400, 401, 403, 404, 422} or key in {
                "GET /admin/login",
                "GET /admin/setup",
            }, (key, status)


def test_fuzz_signed_in_never_500(served: tuple[Settings, TestClient]) -> None:
    _, client = served
    admin = visitor(client, raise_server_exceptions=False)
    token = sign_in(admin, "ada")
    operations = _operations(client)
    worst = _fuzz(admin, operations, token)
    assert worst, "the signed-in fuzz ran"
    assert admin.get("/admin/", follow_redirects=False).status_code == 200  # still signed in


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["month", "goal", "area", "lang", "region", "channel", "source", "q", "page"]
        ),
        st.text(max_size=40),
        max_size=6,
    )
)
def test_inbox_filters_take_any_text(params: dict[str, str]) -> None:
    """The filter parser never fails and only lets known values through."""
    from fikir.config.languages import LANGUAGE_CODES
    from fikir.web.admin.feedback_query import InboxFilter

    flt = InboxFilter.parse(params)
    assert flt.language in (None, *LANGUAGE_CODES)
    assert flt.goal is None or 1 <= flt.goal <= 17
    assert flt.page >= 1
    again = InboxFilter.parse(dict(pair.split("=", 1) for pair in flt.query().split("&") if pair))
    assert again.goal == flt.goal and again.language == flt.language
