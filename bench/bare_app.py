"""The yardsticks for bench/inbound.py: a FastAPI endpoint that checks Twilio's signature and inserts one row.

`--driver sqlalchemy` runs under the same uvicorn settings and database engine as `fikir run`
(async SQLAlchemy), so the ratio between the two measures what fikir's own work costs (the
dialog, redaction, tagging, its transactions). `--driver sqlite3` (SQLite only) is the fastest
correct endpoint we know: one plain `sqlite3` connection in WAL mode with the same
`synchronous` level as fikir, one INSERT and commit per request, called straight from the event
loop (no thread hop), answered only after the commit.

    python bench/bare_app.py --port 8100 --database-url sqlite:////tmp/bare.db \
        --auth-token TOKEN --public-url http://127.0.0.1:8100 [--driver sqlite3 --synchronous full]
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import uvicorn
from fastapi import FastAPI, HTTPException, Request, Response
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, insert

from fikir.storage.engine import Synchronous, create_async_db_engine, create_sync_db_engine

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


def _create_table(database_url: str, synchronous: Synchronous) -> None:
    sync_engine = create_sync_db_engine(database_url, synchronous)
    metadata.drop_all(sync_engine)
    metadata.create_all(sync_engine)
    sync_engine.dispose()


def create_sqlite3_app(
    database_url: str, auth_token: str, public_url: str, synchronous: Synchronous
) -> FastAPI:
    """The same endpoint on one plain sqlite3 connection: what SQLite itself can do."""
    from sqlalchemy.engine import make_url
    from twilio.request_validator import RequestValidator

    _create_table(database_url, synchronous)
    path = make_url(database_url).database or ""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous.upper()}")
    validator = RequestValidator(auth_token)
    statement = "INSERT INTO bench_inbound (sid, sender, body, received_at) VALUES (?, ?, ?, ?)"

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/webhooks/twilio/sms")
    async def sms(request: Request) -> Response:
        form = await request.form()
        url = f"{public_url}{request.url.path}"
        if not validator.validate(url, form, request.headers.get("X-Twilio-Signature", "")):
            raise HTTPException(status_code=403)
        # Blocking on purpose: one writer, no thread hop; the answer leaves after the commit.
        values = (
            str(form.get("MessageSid", "")),
            str(form.get("From", "")),
            str(form.get("Body", "")),
            datetime.now(UTC).isoformat(),
        )
        db.execute("BEGIN")
        db.execute(statement, values)
        db.execute("COMMIT")
        return Response(EMPTY_TWIML, media_type="application/xml")

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def create_bare_app(
    database_url: str, auth_token: str, public_url: str, synchronous: Synchronous = "full"
) -> FastAPI:
    """POST /webhooks/twilio/sms: 403 on a bad signature, else one INSERT and an empty TwiML."""
    from twilio.request_validator import RequestValidator

    _create_table(database_url, synchronous)
    engine = create_async_db_engine(database_url, synchronous)
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
    parser.add_argument("--driver", choices=("sqlalchemy", "sqlite3"), default="sqlalchemy")
    parser.add_argument("--synchronous", choices=("full", "normal"), default="full")
    args = parser.parse_args()
    make = create_sqlite3_app if args.driver == "sqlite3" else create_bare_app
    app = make(args.database_url, args.auth_token, args.public_url.rstrip("/"), args.synchronous)
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
