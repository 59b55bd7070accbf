"""The FastAPI application: built from settings, with every channel listed here explicitly."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from sqlalchemy.exc import InterfaceError, OperationalError

from fikir.config.settings import Settings
from fikir.runtime import Runtime, build_runtime
from fikir.spool import NotKept
from fikir.web import health, metrics, simulator
from fikir.web.channels import adapters, running_channels
from fikir.web.headers import SecurityHeaders
from fikir.web.routes import include_pages

log = logging.getLogger(__name__)


def _preload_language_models() -> None:
    from fikir.i18n.detect_lingua import preload

    seconds = preload()
    log.info("language models loaded in %.1f s", seconds)


def _where_to_go(settings: Settings, *, first_admin: bool) -> str:
    """What the operator can open once the service runs (printed, like the first-admin link)."""
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    sign_in = "sign in with the first-admin link above" if first_admin else "staff sign-in"
    return (
        f"\nfikir is running at {base}\n"
        f"  Staff dashboard:  {base}/admin/  ({sign_in})\n"
        f"  Chat simulator:   {base}/simulator  (staff only; talk to fikir as a participant)\n"
        f"  Public results:   {base}/results\n"
        f"  Public web page:  {base}/say  (anyone: feedback and polls in a browser)\n"
        f"  Health:           {base}/healthz\n"
        "Stop with Ctrl+C.\n"
    )


async def _not_kept(request: Request, exc: Exception) -> Response:
    """A webhook whose message neither the database nor the spool kept: the sender must retry."""
    return Response(status_code=500)  # logged where it happened, without a traceback


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    """The service; `runtime` may be given by tests, otherwise it is built at startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from fikir.jobs.scheduler import build_scheduler
        from fikir.spool import replay_loop
        from fikir.staff.accounts import CODE_DAYS
        from fikir.web.first_admin import first_admin_invite

        rt = runtime or build_runtime(settings)
        app.state.runtime = rt
        for adapter in adapters():
            rt.channel_status.update(adapter.status(settings))
        rt.channel_status.update(simulator.status())
        for name, status in rt.channel_status.items():
            log.info("channel %s: %s", name, status)
        # Load the language models before any channel starts, so no message waits for them.
        await asyncio.to_thread(_preload_language_models)
        channels = running_channels(rt)
        await channels.__aenter__()
        # Webhooks that came while the database was away wait in the spool: replay them.
        replay_stop = asyncio.Event()
        replay = asyncio.create_task(replay_loop(rt, replay_stop), name="spool-replay")
        scheduler = build_scheduler(rt) if settings.scheduler else None
        # Everything started above is stopped below, also when the start itself fails.
        try:
            if scheduler is not None:
                scheduler.start()
            try:
                code = await first_admin_invite(rt.sessions, settings.secret)
            except (OperationalError, InterfaceError) as exc:
                # Start anyway: webhooks are spooled until the database is back.
                log.warning(
                    "database unavailable at start (%s); inbound messages will be spooled",
                    type(exc).__name__,
                )
                code = None
            if code:
                base = settings.public_url or f"http://{settings.host}:{settings.port}"
                # Printed, not logged: a one-time secret for the operator's eyes, not the logs.
                print(  # noqa: T201
                    "\nNo staff account yet. Sign in as the first admin within "
                    f"{CODE_DAYS} days at:\n"
                    f"  {base}/admin/setup?code={code}\n",
                    flush=True,
                )
            if runtime is None:  # the service's own process (tests bring their runtime)
                # What is loaded by now (language models, lexicons, the web stack) lives as long
                # as the process: keep it out of the collector's full passes, which would
                # otherwise walk it every few seconds and stall every message in flight.
                gc.collect()
                gc.freeze()
            log.info("fikir is ready on http://%s:%d", settings.host, settings.port)
            if runtime is None:
                print(_where_to_go(settings, first_admin=bool(code)), flush=True)  # noqa: T201
            yield
        finally:
            if scheduler is not None and scheduler.running:
                scheduler.shutdown(wait=False)
            replay_stop.set()
            try:
                await asyncio.wait_for(replay, 10.0)
            except TimeoutError:
                log.warning("spool replay did not stop within 10 s; what it held stays spooled")
            await channels.__aexit__(None, None, None)
            if runtime is None:
                await rt.close()

    # The API docs list every route, the staff ones too: development only.
    docs = settings.docs_enabled
    app = FastAPI(
        title="fikir",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(NotKept, _not_kept)
    app.include_router(health.router)
    app.include_router(metrics.router)
    for adapter in adapters():
        app.include_router(adapter.router())
    include_pages(app)
    return app
