"""`fikir chat` driven as a person would: a subprocess, lines on stdin, answers on stdout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fikir.dialog import prompts as p
from tests.conftest import TEST_SECRET
from tests.harness import spoken

LANG_NUMBER = {"az": "1", "ru": "2", "en": "3"}
FEEDBACK = {
    "az": "Kənddə xəstəxana yoxdur, həkim gəlmir, dərmanlar bahadır",
    "ru": "В поликлинике нет врачей, лекарства очень дорогие",
    "en": "The clinic in our village has no doctor and medicine is too expensive",
}


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FIKIR_DATA_DIR=str(tmp_path / "var"),
        FIKIR_SECRET_KEY=TEST_SECRET,
        FIKIR_DATABASE_URL=f"sqlite:///{tmp_path / 'chat.db'}",
        FIKIR_LOG_LEVEL="WARNING",
    )
    return env


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_chat_consent_profile_feedback_forget(tmp_path: Path, lang: str) -> None:
    script = (
        "\n".join(
            [
                LANG_NUMBER[lang],  # language, by number
                "1",  # consent
                "1",  # region: Baku
                "2",  # age 18–24
                "1",  # gender: woman
                FEEDBACK[lang],
                "1",  # the optional topic question: the first goal offered
                "2",  # updates on what is done (asked once, after the first message): no
                "5",  # menu: delete my data
                "1",  # yes, erase
            ]
        )
        + "\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "fikir.cli", "chat", "--user", "console-person"],
        input=script,
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for msgid in (
        p.CONSENT,
        p.ASK_REGION,
        p.ASK_AGE,
        p.ASK_GENDER,
        p.TOPIC_ASK,
        p.TOPIC_THANKS,
        p.UPDATES_ASK,
        p.UPDATES_OFF,
        p.FORGET_CONFIRM,
        p.FORGOTTEN,
    ):
        assert spoken(lang, msgid)[:40] in out, f"{lang}: missing {msgid[:30]!r}"
    assert spoken(lang, p.THANKS, code="XXX-XXX").split("XXX-XXX")[0] in out
    assert "  1 Azərbaycanca" in out  # choices are numbered
    connection = sqlite3.connect(tmp_path / "chat.db")
    counts = [
        connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in ("respondent", "feedback", "contact")
    ]
    connection.close()
    assert counts == [0, 0, 0]
    assert "console-person" not in result.stderr
