"""GET /metrics for Prometheus: counts and latencies by channel, never personal data."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from fikir.metrics import channel_label
from fikir.outbox.queue import depth
from fikir.web.deps import RuntimeDep

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(runtime: RuntimeDep) -> Response:
    async with runtime.sessions() as session:
        waiting = await depth(session)
    # Sum raw channels that share a label, and report 0 for a channel whose queue emptied
    # (a gauge left alone would keep showing its last backlog).
    by_label = dict.fromkeys(("telegram", "sms"), 0)
    for channel, count in waiting.items():
        label = channel_label(channel)
        by_label[label] = by_label.get(label, 0) + count
    runtime.metrics.outbox_depth.clear()
    for label, count in by_label.items():
        runtime.metrics.outbox_depth.labels(label).set(count)
    return Response(runtime.metrics.render(), media_type=CONTENT_TYPE_LATEST)
