"""While the database is down, /metrics answers from memory and /results serves its last good
page with the time it was computed; /metrics answers only loopback or a bearer token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from fikir.config.settings import Settings
from fikir.runtime import Runtime, build_runtime
from fikir.storage.migrate import upgrade
from fikir.web.app import create_app
from tests.conftest import make_settings

TOKEN = "metrics-token-0123456789abcdef"


def _client(settings: Settings, runtime: Runtime, client_host: str) -> httpx.AsyncClient:
    app = create_app(settings, runtime)
    app.state.runtime = runtime
    transport = httpx.ASGITransport(app=app, client=(client_host, 5555))
    return httpx.AsyncClient(transport=transport, base_url="http://fikir")


@pytest.fixture
async def down_able(tmp_path: Path) -> AsyncIterator[tuple[Settings, Runtime, Path]]:
    home = tmp_path / "db"
    home.mkdir()
    url = f"sqlite:///{home / 'fikir.db'}"
    upgrade(url)
    settings = make_settings(tmp_path, url)
    runtime = build_runtime(settings)
    yield settings, runtime, home
    await runtime.close()


async def test_metrics_and_results_survive_an_outage(
    down_able: tuple[Settings, Runtime, Path], tmp_path: Path
) -> None:
    settings, runtime, home = down_able
    async with _client(settings, runtime, "127.0.0.1") as client:
        before = await client.get("/metrics")
        assert before.status_code == 200 and "fikir_database_up 1.0" in before.text
        pages = {lang: await client.get(f"/results?lang={lang}") for lang in ("az", "ru", "en")}
        assert all(page.status_code == 200 for page in pages.values())
        # The database goes away (its disk unmounted): a real outage, not a mock.
        await runtime.db.dispose()
        home.rename(tmp_path / "db-away")
        try:
            during = await client.get("/metrics")
            assert during.status_code == 200
            assert "fikir_database_up 0.0" in during.text
            assert 'fikir_errors_total{where="metrics"} 1.0' in during.text
            labels = {"az": "Rəqəmlər", "ru": "Данные на", "en": "Figures as of"}
            for lang, page in pages.items():
                stale = await client.get(f"/results?lang={lang}")
                assert stale.status_code == 200
                assert labels[lang] in stale.text
                stamp = page.text.split(labels[lang])[1][:40]
                assert stamp in stale.text  # the time the figures were computed, not now
        finally:
            (tmp_path / "db-away").rename(home)


async def test_results_without_a_good_page_says_unavailable(
    down_able: tuple[Settings, Runtime, Path], tmp_path: Path
) -> None:
    settings, runtime, home = down_able
    await runtime.db.dispose()
    home.rename(tmp_path / "db-away")
    async with _client(settings, runtime, "127.0.0.1") as client:
        page = await client.get("/results?lang=ru")
    assert page.status_code == 503 and "Сейчас данные недоступны" in page.text


async def test_metrics_answer_loopback_or_the_bearer_token(
    down_able: tuple[Settings, Runtime, Path], tmp_path: Path
) -> None:
    settings, runtime, _ = down_able
    async with _client(settings, runtime, "203.0.113.9") as remote:
        assert (await remote.get("/metrics")).status_code == 403
    guarded = settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})
    runtime.settings = guarded
    async with _client(guarded, runtime, "203.0.113.9") as remote:
        assert (await remote.get("/metrics")).status_code == 401
        wrong = {"Authorization": "Bearer ²wrong".encode()}
        assert (await remote.get("/metrics", headers=wrong)).status_code == 401
        right = {"Authorization": f"Bearer {TOKEN}"}
        assert (await remote.get("/metrics", headers=right)).status_code == 200
    async with _client(guarded, runtime, "127.0.0.1") as local:
        assert (await local.get("/metrics")).status_code == 401  # the token, once set, always
