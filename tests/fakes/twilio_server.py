"""A loopback stand-in for Twilio's REST API (Messages create and list), and Twilio's webhooks.

It records every message it accepts with the moment it arrived, answers the errors a real
account meets (21610 opted out, 21211 invalid number, 429 too many requests, 5xx), and can play
Twilio's side of the webhooks: signed inbound SMS and signed status callbacks.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpx
from aiohttp import web
from twilio.request_validator import RequestValidator

API_PREFIX = "/2010-04-01/Accounts/{sid}/Messages.json"
ERROR_TEXT = {
    21610: "Attempt to send to unsubscribed recipient",
    21211: "The 'To' number is not a valid phone number.",
    20429: "Too Many Requests",
}


@dataclass
class SentSms:
    """One message the fake accepted."""

    sid: str
    to: str
    sender: str
    body: str
    created: datetime
    at: float  # time.monotonic() when it arrived
    status_callback: str | None = None
    content_sid: str | None = None  # a WhatsApp template (Content API), with its variables
    content_variables: dict[str, str] | None = None


@dataclass
class FakeTwilio:
    """Run with `async with FakeTwilio(...) as twilio:`; `twilio.url` is its base URL."""

    account_sid: str = "AC" + "0" * 32
    auth_token: str = "fake-twilio-auth-token"  # noqa: S105 - a test value
    callbacks: bool = False
    callback_rewrite: tuple[str, str] | None = None  # (public prefix, local prefix)
    latency: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)  # number → Twilio error code
    messages: list[SentSms] = field(default_factory=list)
    create_attempts: int = 0
    list_requests: int = 0
    url: str = ""
    _throttle: int = 0
    _failures: list[int] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    # Control --------------------------------------------------------------------------------
    def throttle(self, count: int) -> None:
        """Answer the next `count` create requests with 429."""
        self._throttle += count

    def fail(self, count: int, status: int = 500) -> None:
        """Answer the next `count` create requests with a server error."""
        self._failures.extend([status] * count)

    def to(self, number: str) -> list[SentSms]:
        return [m for m in self.messages if m.to == number]

    def bodies(self, number: str) -> list[str]:
        return [m.body for m in self.to(number)]

    # Server ---------------------------------------------------------------------------------
    async def __aenter__(self) -> FakeTwilio:
        app = web.Application()
        path = API_PREFIX.format(sid="{sid}")
        app.router.add_post(path, self._create)
        app.router.add_get(path, self._list)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()

    def _authorised(self, request: web.Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return (
            request.match_info["sid"] == self.account_sid
            and request.headers.get("Authorization") == f"Basic {expected}"
        )

    def _error(self, status: int, code: int) -> web.Response:
        return web.json_response(
            {
                "code": code,
                "message": ERROR_TEXT.get(code, "error"),
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
            status=status,
        )

    async def _create(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 20003)
        form = await request.post()
        self.create_attempts += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        if self._throttle > 0:
            self._throttle -= 1
            return self._error(429, 20429)
        if self._failures:
            return self._error(self._failures.pop(0), 20500)
        to, body = str(form.get("To", "")), str(form.get("Body", ""))
        sender = str(form.get("From") or form.get("MessagingServiceSid") or "")
        content_sid = str(form["ContentSid"]) if "ContentSid" in form else None
        if not to or not sender:
            return self._error(400, 21604 if not to else 21603)
        if to.startswith("whatsapp:") != sender.startswith("whatsapp:"):
            return self._error(400, 63007)  # a WhatsApp message needs a WhatsApp sender
        if not body and content_sid is None:
            return self._error(400, 21602)  # Message body is required
        variables = (
            json.loads(str(form["ContentVariables"])) if "ContentVariables" in form else None
        )
        if to in self.errors:
            return self._error(400, self.errors[to])
        created = datetime.now(UTC)
        sms = SentSms(
            sid=f"SM{next(self._ids):032x}",
            to=to,
            sender=sender,
            body=body,
            created=created,
            at=time.monotonic(),
            status_callback=str(form["StatusCallback"]) if "StatusCallback" in form else None,
            content_sid=content_sid,
            content_variables=variables,
        )
        self.messages.append(sms)
        if self.callbacks and sms.status_callback:
            task = asyncio.create_task(self._report(sms))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.json_response(self._resource(sms, "queued"), status=201)

    def _resource(self, sms: SentSms, status: str) -> dict[str, Any]:
        return {
            "sid": sms.sid,
            "account_sid": self.account_sid,
            "to": sms.to,
            "from": sms.sender,
            "body": sms.body,
            "status": status,
            "direction": "outbound-api",
            "num_segments": "1",
            "date_created": format_datetime(sms.created, usegmt=True),
            "date_updated": format_datetime(sms.created, usegmt=True),
            "date_sent": None,
            "error_code": None,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sms.sid}.json",
        }

    async def _list(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 20003)
        self.list_requests += 1
        to = request.query.get("To")
        size = min(1000, int(request.query.get("PageSize", "50")))
        page = int(request.query.get("Page", "0"))
        found = [m for m in reversed(self.messages) if to is None or m.to == to]
        chunk = found[page * size : (page + 1) * size]
        base = API_PREFIX.format(sid=self.account_sid)
        more = (page + 1) * size < len(found)
        query = f"To={to}&" if to else ""
        return web.json_response(
            {
                "messages": [self._resource(m, "sent") for m in chunk],
                "page": page,
                "page_size": size,
                "first_page_uri": f"{base}?{query}PageSize={size}&Page=0",
                "next_page_uri": f"{base}?{query}PageSize={size}&Page={page + 1}" if more else None,
                "previous_page_uri": None,
                "uri": f"{base}?{query}PageSize={size}&Page={page}",
                "start": page * size,
                "end": page * size + len(chunk),
            }
        )

    # Twilio's side of the webhooks ----------------------------------------------------------
    def sign(self, url: str, params: dict[str, str]) -> str:
        return str(RequestValidator(self.auth_token).compute_signature(url, params))

    def _local(self, url: str) -> str:
        if self.callback_rewrite and url.startswith(self.callback_rewrite[0]):
            return self.callback_rewrite[1] + url[len(self.callback_rewrite[0]) :]
        return url

    async def _report(self, sms: SentSms) -> None:
        assert sms.status_callback is not None
        async with httpx.AsyncClient(timeout=5) as client:
            for status in ("sent", "delivered"):
                await asyncio.sleep(0.3)  # receipts come after the API call has returned
                params = {
                    "MessageSid": sms.sid,
                    "SmsSid": sms.sid,
                    "MessageStatus": status,
                    "To": sms.to,
                    "From": sms.sender,
                    "AccountSid": self.account_sid,
                }
                await client.post(
                    self._local(sms.status_callback),
                    data=params,
                    headers={"X-Twilio-Signature": self.sign(sms.status_callback, params)},
                )

    def inbound_params(
        self, sender: str, body: str, *, to: str = "+994125550000"
    ) -> dict[str, str]:
        sid = "SM" + secrets.token_hex(16)
        return {
            "MessageSid": sid,
            "SmsSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": self.account_sid,
            "From": sender,
            "To": to,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "FromCountry": "AZ",
            "ApiVersion": "2010-04-01",
        }

    def whatsapp_params(
        self, sender: str, body: str, *, to: str = "whatsapp:+14155238886", media: str = ""
    ) -> dict[str, str]:
        """A WhatsApp message as Twilio posts it: `whatsapp:` addresses, the profile name and WaId."""
        params = self.inbound_params(sender, body, to=to)
        params.update(ProfileName="Aysel Mammadova", WaId=sender.removeprefix("whatsapp:+"))
        params.pop("NumSegments")
        params.pop("FromCountry")
        if media:
            params.update(NumMedia="1", MediaContentType0=media, MediaUrl0=f"{self.url}/m/1")
        return params

    async def post_webhook(
        self,
        client: httpx.AsyncClient,
        local_url: str,
        public_url: str,
        params: dict[str, str],
        *,
        signature: str | None = None,
    ) -> httpx.Response:
        """POST as Twilio does: form-encoded, signed over the public URL it was configured with."""
        headers = {}
        sig = self.sign(public_url, params) if signature is None else signature
        if sig:
            headers["X-Twilio-Signature"] = sig
        return await client.post(local_url, data=params, headers=headers)
