"""GET /healthz: is the database reachable, and which channels are on."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from fikir.web.deps import RuntimeDep

router = APIRouter()


@router.get("/healthz")
async def healthz(runtime: RuntimeDep) -> JSONResponse:
    database = "ok"
    try:
        async with runtime.db.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy", reported below
        database = "unreachable"
    channels = dict(runtime.channel_status)
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "channels": channels,
    }
    return JSONResponse(body, status_code=200 if database == "ok" else 503)
