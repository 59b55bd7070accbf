"""A loopback stand-in for SMS Gateway for Android: its /messages API, and its signed webhooks.

It records every message it is asked to send with the moment it arrived, keeps the id the
client chose (as the real gateway does), and plays the phone's side: `sms:received` webhooks
signed with HMAC-SHA256 over raw body + X-Timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from aiohttp import web

BASE_PATH = "/3rdparty/v1"
BAKU = timezone(timedelta(hours=4))


@dataclass
class GatewaySms:
    """One message the phone was asked to send."""

    id: str
    to: str
    text: str
    at: float  # time.monotonic() when it arrived


@dataclass
class FakeSmsGate:
    """Run with `async with FakeSmsGate(...) as gate:`; `gate.url` is the API base URL."""

    user: str = "fikir"
    password: str = "fake-gateway-password"  # noqa: S105 - a test value
    signing_key: str = "fake-gateway-signing-key"
    messages: list[GatewaySms] = field(default_factory=list)
    url: str = ""
    _fail: list[int] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    def fail(self, count: int, status: int = 500) -> None:
        self._fail.extend([status] * count)

    def to(self, number: str) -> list[GatewaySms]:
        return [m for m in self.messages if m.to == number]

    def texts(self, number: str) -> list[str]:
        return [m.text for m in self.to(number)]

    async def __aenter__(self) -> FakeSmsGate:
        app = web.Application()
        app.router.add_post(f"{BASE_PATH}/messages", self._send)
        app.router.add_get(f"{BASE_PATH}/messages/{{id}}", self._state)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}{BASE_PATH}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _authorised(self, request: web.Request) -> bool:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {token}"

    @staticmethod
    def _state_of(sms: GatewaySms) -> dict[str, Any]:
        return {
            "id": sms.id,
            "state": "Pending",
            "isHashed": False,
            "isEncrypted": False,
            "recipients": [{"phoneNumber": sms.to, "state": "Pending"}],
        }

    async def _send(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"message": "unauthorized"}, status=401)
        if self._fail:
            return web.json_response({"message": "failure"}, status=self._fail.pop(0))
        data = await request.json()
        text = (data.get("textMessage") or {}).get("text")
        numbers = data.get("phoneNumbers") or []
        if not isinstance(text, str) or len(numbers) != 1:
            return web.json_response({"message": "bad request"}, status=400)
        message_id = str(data.get("id") or uuid.uuid4().hex)
        if any(m.id == message_id for m in self.messages):
            return web.json_response({"message": "message already exists"}, status=409)
        sms = GatewaySms(message_id, str(numbers[0]), text, time.monotonic())
        self.messages.append(sms)
        return web.json_response(self._state_of(sms), status=202)

    async def _state(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"message": "unauthorized"}, status=401)
        for sms in self.messages:
            if sms.id == request.match_info["id"]:
                return web.json_response(self._state_of(sms))
        return web.json_response({"message": "not found"}, status=404)

    # The phone's side of the webhook --------------------------------------------------------
    def received_event(self, phone: str, text: str, received_at: datetime | None = None) -> bytes:
        """An `sms:received` body as the app posts it (receivedAt in the phone's local time)."""
        moment = (received_at or datetime.now(UTC)).astimezone(BAKU)
        digest = hashlib.sha256(f"{phone}{text}".encode()).hexdigest()[:21]
        event = {
            "deviceId": "ffffffffceb0b1db0000018e937c815b",
            "event": "sms:received",
            "id": uuid.uuid4().hex[:21],
            "payload": {
                "messageId": digest,  # content-based, like the app's: not unique
                "message": text,
                "phoneNumber": phone,
                "simNumber": 1,
                "receivedAt": moment.isoformat(timespec="milliseconds"),
            },
            "webhookId": "fikir-hook",
        }
        return json.dumps(event, ensure_ascii=False).encode()

    def sign(self, body: bytes, timestamp: int) -> str:
        return hmac.new(
            self.signing_key.encode(), body + str(timestamp).encode(), hashlib.sha256
        ).hexdigest()

    async def post_webhook(
        self,
        client: httpx.AsyncClient,
        url: str,
        body: bytes,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": "application/json", "X-Timestamp": str(stamp)}
        sig = self.sign(body, stamp) if signature is None else signature
        if sig:
            headers["X-Signature"] = sig
        return await client.post(url, content=body, headers=headers)
