"""Fuzz every HTTP route from the OpenAPI schema (schemathesis + hypothesis): never a 500.

Each operation is driven twice: anonymously, and as a signed-in admin whose forms carry a valid
CSRF token, so that the handlers behind the locks are fuzzed too, not only the locks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import pytest_asyncio
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fikir.config.settings import Settings
from fikir.runtime import build_runtime
from fikir.web.app import create_app
from tests.conftest import make_settings
from tests.fakes.telegram_server import FakeTelegram, FakeUser
from tests.fakes.twilio_server import FakeTwilio
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


# Webhooks: every malformed header and body gets a 4xx (a table, then hypothesis) -----------
GATE_SECRET = "gate-signing-key-0123456789"
TG_SECRET = "tg-Webhook_secret-0123456789"
PUBLIC = "https://fikir.example.org"
PHONE = "+994501234567"
# Header values as raw bytes, as a client may send them (latin-1 '²', UTF-8 '²', other scripts'
# digits, a number too long for int(), signs and exponents, high bytes, emoji).
HOSTILE_HEADERS: tuple[bytes, ...] = (
    b"\xb2",
    "²".encode(),
    "1700000000²".encode(),
    "١٧٠٠٠٠٠٠٠٠".encode(),
    "𝟏𝟕𝟎𝟎".encode(),
    b"9" * 5000,
    b"-1",
    b"+1700000000",
    b"1e9",
    b" ",
    b"\xff" * 64,
    "ÿ".encode() * 64,
    "😀".encode(),
    "‮abc".encode(),
)
NESTED = (b"[" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000, b"[" * 65 + b"]" * 65)


def _gate_bodies() -> list[bytes]:
    def event(payload: object, kind: object = "sms:received") -> bytes:
        return json.dumps({"event": kind, "payload": payload}).encode()

    return [
        *NESTED,
        b"1" * 5000,
        b'{"event": "sms:received", "payload": {"phoneNumber": 1' + b"0" * 5000 + b"}}",
        event({"phoneNumber": PHONE, "message": "\ud800 salam"}),
        event({"phoneNumber": "\udfff", "message": "salam"}),
        event({"phoneNumber": PHONE, "message": "x", "receivedAt": "\ud83d"}),
        event({"phoneNumber": 5, "message": ["x"]}),
        event({"phoneNumber": {"a": 1}, "message": None}),
        event({"phoneNumber": "²²²²²²²²²", "message": "salam"}),
        event({"phoneNumber": PHONE, "message": "x", "receivedAt": 5}),
        event({"messageId": "²" * 300}, "sms:delivered"),
        event({"messageId": 7, "reason": []}, "sms:failed"),
        event([], 5),
        event("x", None),
        b"\xff\xfe\x00",
        b"",
        b"null",
        b'"text"',
        b"NaN",
        b"[]",
        b'{"payload": {}}',
        b"x" * 70_000,
    ]


def _telegram_bodies(fake: FakeTelegram) -> list[bytes]:
    user = FakeUser(7600000001, "Fuzz", "User", "fuzz_user", "az")
    update = fake.text_update(user, "salam")
    message = dict(update["message"])  # type: ignore[call-overload]

    def with_message(**changes: object) -> bytes:
        return json.dumps({"update_id": 900_001, "message": {**message, **changes}}).encode()

    def callback(data: str) -> bytes:
        return json.dumps(
            {
                "update_id": 900_002,
                "callback_query": {
                    "id": "cb-fuzz",
                    "from": user.as_json(),
                    "chat_instance": "1",
                    "data": data,
                    "message": {**message, "text": "?"},
                },
            }
        ).encode()

    return [
        *NESTED,
        b'{"update_id": 1' + b"0" * 5000 + b"}",
        b'{"update_id": "x"}',
        b'{"update_id": 100000000000000000000000000000000000000}',
        with_message(text="\ud800\udc00\ud800 salam"),
        with_message(text=["x"]),
        with_message(chat={"id": 10**30, "type": "private"}),
        with_message(text="x" * 100_000),
        callback("poll:²:²"),
        callback("poll:1:" + "9" * 60),
        callback("topic:²:¹"),
        callback("#²"),
        callback("#" + "9" * 60),
        callback("‮poll:1:1"),
        b"\xff\xfe\x00",
        b"",
        b"null",
        b"[]",
    ]


@dataclass
class Hooks:
    client: httpx.AsyncClient
    fake_telegram: FakeTelegram
    twilio: FakeTwilio

    async def gate(
        self, body: bytes, timestamp: bytes | None = None, sig: bytes | None = None
    ) -> int:
        stamp = str(int(time.time())).encode() if timestamp is None else timestamp
        if sig is None:
            sig = hmac.new(GATE_SECRET.encode(), body + stamp, hashlib.sha256).hexdigest().encode()
        headers = [(b"content-type", b"application/json"), (b"x-timestamp", stamp)]
        headers.append((b"x-signature", sig))
        response = await self.client.post("/webhooks/smsgate", content=body, headers=headers)
        return response.status_code

    async def telegram(self, body: bytes, secret: bytes = TG_SECRET.encode()) -> int:
        headers = [(b"content-type", b"application/json")]
        headers.append((b"x-telegram-bot-api-secret-token", secret))
        response = await self.client.post("/webhooks/telegram", content=body, headers=headers)
        return response.status_code

    async def twilio_form(self, path: str, params: dict[str, str], sig: bytes | None = None) -> int:
        if sig is None:
            sig = self.twilio.sign(f"{PUBLIC}{path}", params).encode()
        headers = [(b"content-type", b"application/x-www-form-urlencoded")]
        headers.append((b"x-twilio-signature", sig))
        response = await self.client.post(path, content=urlencode(params), headers=headers)
        return response.status_code


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hooks(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hooks]:
    from fikir.storage.migrate import upgrade
    from fikir.web.channels import running_channels

    tmp = tmp_path_factory.mktemp("hookfuzz")
    url = f"sqlite:///{tmp / 'fikir.db'}"
    upgrade(url)
    fake = FakeTelegram()
    await fake.start()
    async with FakeTwilio() as twilio:
        settings = make_settings(
            tmp,
            url,
            public_url=PUBLIC,
            telegram_token=fake.token,
            telegram_api_url=fake.url,
            telegram_webhook_url=f"{PUBLIC}/webhooks/telegram",
            telegram_webhook_secret=TG_SECRET,
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from="+994125550000",
            twilio_api_url=twilio.url,
            smsgate_webhook_secret=GATE_SECRET,
        )
        runtime = build_runtime(settings)
        app = create_app(settings, runtime)
        app.state.runtime = runtime
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        try:
            async with (
                running_channels(runtime),
                httpx.AsyncClient(transport=transport, base_url="http://fikir") as client,
            ):
                yield Hooks(client, fake, twilio)
        finally:
            await runtime.close()
            await fake.stop()


@pytest.mark.asyncio(loop_scope="module")
async def test_webhooks_answer_hostile_headers_with_4xx(hooks: Hooks) -> None:
    body = b'{"event": "sms:received", "payload": {"phoneNumber": "+994501234567", "message": "x"}}'
    params = hooks.twilio.inbound_params(PHONE, "salam")
    found: dict[str, int] = {}
    for value in HOSTILE_HEADERS:
        found[f"smsgate timestamp {value[:20]!r}"] = await hooks.gate(body, timestamp=value)
        found[f"smsgate signature {value[:20]!r}"] = await hooks.gate(body, sig=value)
        found[f"telegram secret {value[:20]!r}"] = await hooks.telegram(b"{}", secret=value)
        for path in ("/webhooks/twilio/sms", "/webhooks/twilio/status"):
            found[f"{path} signature {value[:20]!r}"] = await hooks.twilio_form(
                path, params, sig=value
            )
    assert {k: v for k, v in found.items() if not 400 <= v < 500} == {}


@pytest.mark.asyncio(loop_scope="module")
async def test_webhooks_answer_malformed_bodies_without_500(hooks: Hooks) -> None:
    found: dict[str, int] = {}
    for body in _gate_bodies():
        found[f"smsgate {body[:60]!r}"] = await hooks.gate(body)
    for body in _telegram_bodies(hooks.fake_telegram):
        found[f"telegram {body[:60]!r}"] = await hooks.telegram(body)
    twilio_cases = {
        "NumMedia": ["²", "١", "9" * 5000, "-1"],
        "From": ["²²²²²²²²²²", "\x00", "whatsapp:²"],
        "Body": ["\x00\u202e", "x" * 200_000],
        "MessageSid": ["²" * 400, ""],
    }
    for field_name, values in twilio_cases.items():
        for value in values:
            params = hooks.twilio.inbound_params(PHONE, "salam")
            params[field_name] = value
            for path in ("/webhooks/twilio/sms", "/webhooks/twilio/status"):
                found[f"{path} {field_name}={value[:20]!r}"] = await hooks.twilio_form(path, params)
    # Malformed bodies are refused (4xx); a well-formed but odd one may be taken (2xx); never 5xx.
    assert {k: v for k, v in found.items() if v >= 500} == {}
    nested = [k for k in found if k.startswith(("smsgate b'[[[", "telegram b'[[["))]
    assert nested and all(400 <= found[k] < 500 for k in nested)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.mark.asyncio(loop_scope="module")
@settings(max_examples=EXAMPLES * 10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    header=st.binary(max_size=80) | st.text(max_size=40).map(lambda t: t.encode()),
    payload=st.dictionaries(
        st.sampled_from(["phoneNumber", "message", "receivedAt", "messageId", "reason"]),
        _json,
        max_size=5,
    ),
    kind=st.sampled_from(["sms:received", "sms:sent", "sms:failed", "x", ""]),
    raw=st.binary(max_size=200),
)
async def test_webhooks_never_500_on_generated_input(
    hooks: Hooks, header: bytes, payload: dict[str, object], kind: str, raw: bytes
) -> None:
    header = bytes(b for b in header if b not in b"\r\n\x00") or b"x"
    body = json.dumps({"event": kind, "payload": payload}).encode()
    statuses = [
        await hooks.gate(body),
        await hooks.gate(raw),
        await hooks.gate(body, timestamp=header),
        await hooks.gate(body, sig=header),
        await hooks.telegram(raw),
        await hooks.telegram(body, secret=header),
        await hooks.twilio_form("/webhooks/twilio/sms", {"Body": raw.decode("utf-8", "replace")}),
    ]
    assert all(status < 500 for status in statuses), statuses


# Forms: every field any template names, with hostile values, on every POST and GET route -----
HOSTILE_VALUES = ("²", "١٢", "9" * 5000, "\x00", "\u202eevil", "ÿ" * 300, "-1", "", "1e9")


def _field_names() -> list[str]:
    from fikir.web.admin.templating import TEMPLATE_DIR

    found = set()
    for template in TEMPLATE_DIR.rglob("*.html"):
        found.update(re.findall(r'name="([a-z_]+)"', template.read_text(encoding="utf-8")))
    return sorted(found - {"robots", "viewport"})


def _routes(client: TestClient, method: str) -> list[str]:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    paths = [p for p, ops in schema["paths"].items() if method.lower() in ops]
    return sorted({re.sub(r"\{[^}]+\}", "1", p) for p in paths if not p.startswith("/webhooks")})


def test_forms_take_hostile_values_without_500(served: tuple[Settings, TestClient]) -> None:
    _, client = served
    admin = visitor(client, raise_server_exceptions=False)
    token = sign_in(admin, "ada")
    names = _field_names()
    assert "csrf_token" in names and "goal" in names
    found: dict[str, int] = {}
    for value in HOSTILE_VALUES:
        for path in _routes(client, "POST"):
            if ("POST", path) in NOT_AS_ADMIN:
                continue
            form = dict.fromkeys(names, value) | {"csrf_token": token}
            found[f"POST {path} {value[:10]!r}"] = admin.post(
                path, data=form, follow_redirects=False
            ).status_code
            form["csrf_token"] = value  # a hostile token is a refusal, not an error
            found[f"POST {path} token {value[:10]!r}"] = admin.post(
                path, data=form, follow_redirects=False
            ).status_code
        for path in _routes(client, "GET"):
            query = {name: value[:200] for name in names if name != "csrf_token"}
            found[f"GET {path} {value[:10]!r}"] = admin.get(
                path, params=query, follow_redirects=False
            ).status_code
    assert len(found) > 300
    assert {k: v for k, v in found.items() if v >= 500} == {}
    assert admin.get("/admin/", follow_redirects=False).status_code == 200  # still signed in
