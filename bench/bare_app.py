"""The yardstick for bench/inbound.py: a FastAPI endpoint that checks Twilio's signature and inserts one row.

It runs under the same uvicorn settings and database engine as `fikir run`, so the ratio between
the two measures what fikir's own work costs (the dialog, redaction, tagging, its transactions).

    python bench/bare_app.py --port 8100 --database-url sqlite:////tmp/bare.db \
        --auth-token TOKEN --public-url http://127.0.0.1:8100
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Response
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, insert

from fikir.storage.engine import create_async_db_engine, create_sync_db_engine

metadata = MetaData()
bench_inbound = Table(
    "bench_inbound",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sid", String(64), nullable=False, unique=True),
    Column("sender", String(32), nullable=False),
    Column("body", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'


def create_bare_app(database_url: str, auth_token: str, public_url: str) -> FastAPI:
    """POST /webhooks/twilio/sms: 403 on a bad signature, else one INSERT and an empty TwiML."""
    from twilio.request_validator import RequestValidator

    sync_engine = create_sync_db_engine(database_url)
    metadata.drop_all(sync_engine)
    metadata.create_all(sync_engine)
    sync_engine.dispose()
    engine = create_async_db_engine(database_url)
    validator = RequestValidator(auth_token)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.post("/webhooks/twilio/sms")
    async def sms(request: Request) -> Response:
        form = await request.form()
        url = f"{public_url}{request.url.path}"
        if not validator.validate(url, form, request.headers.get("X-Twilio-Signature", "")):
            raise HTTPException(status_code=403)
        async with engine.begin() as connection:
            await connection.execute(
                insert(bench_inbound).values(
                    sid=str(form.get("MessageSid", "")),
                    sender=str(form.get("From", "")),
                    body=str(form.get("Body", "")),
                    received_at=datetime.now(UTC),
                )
            )
        return Response(EMPTY_TWIML, media_type="application/xml")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--auth-token", required=True)
    parser.add_argument("--public-url", required=True)
    args = parser.parse_args()
    app = create_bare_app(args.database_url, args.auth_token, args.public_url.rstrip("/"))
    # The same server settings as fikir.web.server.serve.
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        lifespan="on",
    )


if __name__ == "__main__":
    main()
