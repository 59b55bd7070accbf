"""`fikir run` on a fresh data directory answers /healthz within 10 seconds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port


def test_run_answers_healthz_quickly(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("FIKIR_", "TWILIO_")):
            del env[key]
    env.update(FIKIR_DATA_DIR=str(tmp_path / "var"), FIKIR_PORT=str(port))
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "fikir.cli", "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = None
        while time.monotonic() - started < 10:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                body = response.json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        elapsed = time.monotonic() - started
        assert body is not None, "no answer on /healthz within 10 s"
        assert body["database"] == "ok" and body["status"] == "ok"
        assert body["channels"]["telegram"].startswith("off")
        assert elapsed < 10
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    assert "/admin/setup?code=" in out, "first start prints the first admin's sign-in link"
    base = f"http://127.0.0.1:{port}"
    for place in ("/admin/", "/simulator", "/results"):
        assert f"{base}{place}" in out, f"first start says where {place} is"
    assert out.index("/admin/setup?code=") < out.index(f"{base}/results")
    assert (tmp_path / "var" / "fikir.db").exists()
    assert (tmp_path / "var" / "secret_key").exists()
