"""Sending SMS through an Android phone with a local SIM (SMS Gateway for Android's async client)."""

from __future__ import annotations

import logging
from datetime import datetime

import aiohttp
from android_sms_gateway import client as gateway_client
from android_sms_gateway import domain, errors
from android_sms_gateway.ahttp import AiohttpAsyncHttpClient

from fikir.outbox.message import Failed, RetryLater, SendResult, Sent

log = logging.getLogger(__name__)

REQUEST_TIMEOUT = 15.0


class GatewayProvider:
    """The gateway's /messages API; our own message id is the marker that survives a crash."""

    name = "smsgate"

    def __init__(
        self, base_url: str, user: str, password: str, timeout: float = REQUEST_TIMEOUT
    ) -> None:
        self._timeout = timeout
        self._base_url = base_url
        self._user = user
        self._password = password
        self._session: aiohttp.ClientSession | None = None
        self._api: gateway_client.AsyncAPIClient | None = None

    def _client(self) -> gateway_client.AsyncAPIClient:
        if self._api is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout)
            )
            self._api = gateway_client.AsyncAPIClient(
                self._user,
                self._password,
                base_url=self._base_url,
                http_client=AiohttpAsyncHttpClient(self._session),
            )
        return self._api

    async def send(self, to: str, body: str, ref: str) -> SendResult:
        message = domain.Message(
            phone_numbers=[to],
            text_message=domain.TextMessage(text=body),
            with_delivery_report=True,
            id=ref,
        )
        try:
            state = await self._client().send(message)
        except errors.APIError as exc:
            return _api_error(exc, ref)
        except TimeoutError:
            return RetryLater(seconds=5.0, reason="timeout")
        except (aiohttp.ClientError, OSError, ValueError, KeyError) as exc:
            log.warning("sms gateway: request failed (%s); will retry", type(exc).__name__)
            return RetryLater(seconds=5.0, reason="network")
        return Sent(provider_id=str(state.id or ref))

    async def find_sent(self, to: str, body: str, ref: str, since: datetime) -> list[str]:
        """The gateway keeps the id we gave the message: it has it, or it does not."""
        try:
            state = await self._client().get_state(ref)
        except errors.NotFoundError:
            return []
        return [str(state.id or ref)]

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            self._api = None


def _api_error(exc: errors.APIError, ref: str) -> SendResult:
    status = int(exc.status_code or 0)
    if status == 400:
        return Failed(reason="invalid_request")
    if status == 429:
        return RetryLater(seconds=2.0, reason="rate_limited")
    if status in {401, 403}:
        log.error("the sms gateway refused our credentials (HTTP %d)", status)
        return RetryLater(seconds=60.0, reason="unauthorized")
    if status == 409:
        # Our id is already taken: the gateway accepted this very message before.
        return Sent(provider_id=ref)
    return RetryLater(seconds=5.0, reason="server_error")
