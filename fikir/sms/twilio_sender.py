"""Sending SMS with Twilio's async client, pointed at FIKIR_TWILIO_API_URL and kept out of the logs."""

from __future__ import annotations

import base64
import contextvars
import logging
from datetime import datetime
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from fikir.outbox.message import Failed, RetryLater, SendResult, Sent

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
REQUEST_TIMEOUT = 10.0

# Twilio error codes after which a message will never go through to this number.
OPTED_OUT = 21610  # the person replied STOP to our sender at the carrier/Twilio
PERMANENT = {
    21211: "invalid_number",
    21214: "invalid_number",
    21217: "invalid_number",
    21401: "invalid_number",
    21407: "invalid_number",
    21408: "region_not_enabled",
    21612: "unreachable",
    21614: "not_mobile",
    21617: "body_too_long",
    21635: "not_mobile",
}

# Set by the HTTP client inside the task that made the request, read by the same task.
_retry_after: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "twilio_retry_after", default=None
)


class RebasedHttpClient(AsyncHttpClient):  # type: ignore[misc]
    """Twilio's AsyncHttpClient on aiohttp, sending to `base_url` and logging no URL or header.

    Twilio's own client logs every request URL at INFO, and a Messages list URL carries the
    recipient's number in its query: nothing of it may reach a log.
    """

    def __init__(self, base_url: str, timeout: float = REQUEST_TIMEOUT) -> None:
        super().__init__(log, True, timeout)
        self._base = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    def _rebase(self, url: str) -> str:
        if url.startswith(TWILIO_API) and self._base != TWILIO_API:
            return self._base + url[len(TWILIO_API) :]
        return url

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        seconds = timeout or self.timeout or REQUEST_TIMEOUT
        async with self._session.request(
            method.upper(),
            self._rebase(url),
            params=_strings(params),
            data=_strings(data),
            headers=_with_auth(headers, auth),
            timeout=aiohttp.ClientTimeout(total=seconds),
            allow_redirects=allow_redirects,
        ) as response:
            text = await response.text()
            _retry_after.set(_seconds(response.headers.get("Retry-After")))
            return Response(response.status, text, response.headers)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _with_auth(headers: dict[str, str] | None, auth: tuple[str, str] | None) -> dict[str, str]:
    merged = dict(headers or {})
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        merged["Authorization"] = f"Basic {token}"
    return merged


def _strings(values: dict[str, object] | None) -> dict[str, str] | None:
    if not values:
        return None
    return {key: str(value) for key, value in values.items() if value is not None}


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class TwilioProvider:
    """Messages.create for sending, Messages.list to find what was sent before a crash."""

    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        api_url: str = TWILIO_API,
        status_callback: str | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self._http = RebasedHttpClient(api_url, timeout)
        self._client = Client(account_sid, auth_token, http_client=self._http)
        self._sender = sender
        self._status_callback = status_callback

    def _from(self) -> dict[str, Any]:
        # A Messaging Service picks the sender from its pool; otherwise a number or sender id.
        if self._sender.startswith("MG"):
            return {"messaging_service_sid": self._sender}
        return {"from_": self._sender}

    async def send(
        self, to: str, body: str, ref: str, *, content: tuple[str, str] | None = None
    ) -> SendResult:
        """Send `body`, or with `content` (Content SID, variables JSON) an approved template."""
        extra: dict[str, Any] = self._from()
        if content is not None:
            extra["content_sid"], extra["content_variables"] = content
        if self._status_callback:
            extra["status_callback"] = self._status_callback
        try:
            if content is None:
                extra["body"] = body
            message = await self._client.messages.create_async(to=to, **extra)
        except TwilioRestException as exc:
            return self._rest_error(exc)
        except TimeoutError:
            return RetryLater(seconds=5.0, reason="timeout")
        except (aiohttp.ClientError, TwilioException, OSError) as exc:
            log.warning("twilio: request failed (%s); will retry", type(exc).__name__)
            return RetryLater(seconds=5.0, reason="network")
        return Sent(provider_id=str(message.sid))

    def _rest_error(self, exc: TwilioRestException) -> SendResult:
        status, code = int(exc.status or 0), int(exc.code or 0)
        if code == OPTED_OUT:
            return Failed(reason="opted_out", blocked=True)
        if code in PERMANENT:
            return Failed(reason=PERMANENT[code])
        if status == 429 or code in {20429, 14107}:
            return RetryLater(seconds=_retry_after.get() or 1.0, reason="rate_limited")
        if status >= 500:
            return RetryLater(seconds=_retry_after.get() or 5.0, reason="server_error")
        if status in {401, 403}:
            # Wrong credentials or a suspended account: keep every message until it is fixed.
            log.error("twilio refused our credentials (HTTP %d, code %d)", status, code)
            return RetryLater(seconds=60.0, reason="unauthorized")
        log.warning("twilio refused a message for good (HTTP %d, code %d)", status, code)
        return Failed(reason=f"twilio_{code or status}")

    async def find_sent(self, to: str, body: str, ref: str, since: datetime) -> list[str]:
        """Messages to `to` with this body created since `since`, newest first.

        Twilio keeps no client reference on a message, so the recipient, the exact body and the
        creation time are the marker (not DateSent: a queued message has none yet); the caller
        skips ids already recorded on other outbox rows.
        """
        matches = []
        stream = await self._client.messages.stream_async(to=to, page_size=50)
        async for message in stream:
            created = message.date_created
            if created is not None and created < since:
                break  # Twilio lists newest first: everything further is older
            if message.body == body and str(message.direction or "").startswith("outbound"):
                matches.append(str(message.sid))
        return matches

    async def aclose(self) -> None:
        await self._http.close()
