"""`fikir demo` walks simulated respondents through the engine and writes what happened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_SECRET


def test_demo_runs_offline_and_writes_its_results(tmp_path: Path) -> None:
    env = dict(os.environ, FIKIR_DATA_DIR=str(tmp_path / "var"), FIKIR_SECRET_KEY=TEST_SECRET)
    out = tmp_path / "demo-out"
    done = subprocess.run(
        [sys.executable, "-m", "fikir.cli", "demo", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    transcripts = (out / "transcripts.md").read_text(encoding="utf-8")
    assert sum(summary["feedback_by_language"].values()) == 6
    assert set(summary["feedback_by_language"]) == {"az", "ru", "en", "ka", "uk"}
    assert summary["sdg_counts"], "the messages were tagged"
    assert summary["poll_results"]["respondents"] == 6
    assert transcripts.count("## ") == 6
    # Everything went through the engine: the Lerik grandmother typed her district by SMS.
    assert "→ Lerik" in transcripts
    for stored in summary["stored_feedback_redacted"]:
        assert stored["text"]
