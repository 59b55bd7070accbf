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
        for channel, waiting in (await depth(session)).items():
            runtime.metrics.outbox_depth.labels(channel_label(channel)).set(waiting)
    return Response(runtime.metrics.render(), media_type=CONTENT_TYPE_LATEST)
