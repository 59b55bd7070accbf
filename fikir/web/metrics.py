"""GET /metrics for Prometheus: counts and latencies by channel, never personal data.

It answers from memory, also while the database is down (then the outbox depth is the last
one read and fikir_database_up is 0), and only to loopback clients or, once
FIKIR_METRICS_TOKEN is set, to a scraper that presents it as a bearer token.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from fikir.config.channels import PROACTIVE_FAMILIES
from fikir.metrics import channel_label
from fikir.outbox.queue import depth
from fikir.runtime import Runtime
from fikir.web.deps import RuntimeDep

log = logging.getLogger(__name__)
router = APIRouter()
DATABASE_SECONDS = 2.0  # a scrape never waits longer than this for the outbox depth


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allowed(request: Request, runtime: Runtime) -> int | None:
    """None when the scraper may read the metrics, else the status to answer."""
    token = runtime.settings.metrics_token
    if token is None:
        return None if _loopback(request) else 403
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8", "replace"), expected
    ):
        return 401
    return None


async def _refresh_outbox_depth(runtime: Runtime) -> None:
    async with asyncio.timeout(DATABASE_SECONDS), runtime.sessions() as session:
        waiting = await depth(session)
    # Sum raw channels that share a label, and report 0 for a channel whose queue emptied
    # (a gauge left alone would keep showing its last backlog).
    by_label = dict.fromkeys(PROACTIVE_FAMILIES, 0)
    for channel, count in waiting.items():
        label = channel_label(channel)
        by_label[label] = by_label.get(label, 0) + count
    runtime.metrics.outbox_depth.clear()
    for label, count in by_label.items():
        runtime.metrics.outbox_depth.labels(label).set(count)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, runtime: RuntimeDep) -> Response:
    refused = _allowed(request, runtime)
    if refused is not None:
        headers = {"WWW-Authenticate": "Bearer"} if refused == 401 else None
        return Response(status_code=refused, headers=headers)
    try:
        await _refresh_outbox_depth(runtime)
    except Exception as exc:  # noqa: BLE001 - any failure: answer from memory
        log.warning(
            "metrics: outbox depth unavailable (%s); answering from memory", type(exc).__name__
        )
        runtime.metrics.errors.labels("metrics").inc()
        runtime.metrics.database_up.set(0)
    else:
        runtime.metrics.database_up.set(1)
    return Response(runtime.metrics.render(), media_type=CONTENT_TYPE_LATEST)
