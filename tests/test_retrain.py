"""`fikir tag --retrain`: a model built from corrections, scored before and after on the shipped
held-out set, installed only when staff confirm, the previous model kept."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text
from typer.testing import CliRunner

from fikir.cli import app
from fikir.runtime import build_runtime
from fikir.storage.migrate import upgrade
from fikir.storage.models import Feedback, FeedbackTag
from fikir.tagging.evaluate import load_labelled, score
from fikir.tagging.model import MODEL_PATH, GoalModel
from fikir.tagging.tagger import Tagger
from fikir.tagging.train import DEFAULT_DATA
from tests.conftest import TEST_SECRET, make_settings

# Twelve messages the model in use tags as goal 11 (cities), which staff corrected to goal 9
# (infrastructure); and one held-out message corrected by staff, which must never be trained on.
FIXES = [(f"Marşrutka {n} nömrəli xətt kəndə gəlmir, dayanacaq yoxdur", "az", 9) for n in range(12)]
HELDOUT = load_labelled(DEFAULT_DATA, "heldout")


def _store(url: str, root: Path) -> None:
    async def main() -> None:
        runtime = build_runtime(make_settings(root, url))
        try:
            async with runtime.sessions() as session, session.begin():
                rows = [*FIXES, (HELDOUT[0].text, HELDOUT[0].lang, 1)]
                moment = datetime(2026, 11, 3, tzinfo=UTC)
                await session.exec(
                    insert(Feedback),
                    params=[
                        {"id": i, "ref_code": f"R{i:05d}", "text": body, "language": lang,
                         "channel": "telegram", "redactions": 0, "created_at": moment}
                        for i, (body, lang, _) in enumerate(rows, start=1)
                    ],
                )  # fmt: skip
                await session.exec(
                    insert(FeedbackTag),
                    params=[
                        {"feedback_id": i, "goal": goal, "score": 1.0, "source": "staff",
                         "created_at": moment}
                        for i, (_, _, goal) in enumerate(rows, start=1)
                    ],
                )  # fmt: skip
        finally:
            await runtime.close()

    asyncio.run(main())


def test_retrain_reports_before_and_after_and_installs_only_when_confirmed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fikir.db'}"
    upgrade(url)
    _store(url, tmp_path)
    model = tmp_path / "model.json"
    shutil.copy2(MODEL_PATH, model)
    original = model.read_bytes()
    env = {
        "FIKIR_DATABASE_URL": url,
        "FIKIR_SECRET_KEY": TEST_SECRET,
        "FIKIR_DATA_DIR": str(tmp_path / "var"),
        "FIKIR_ENV": "test",
    }
    # The model in use, scored here on the held-out set on its own.
    before = score(
        [r.goals for r in HELDOUT],
        [
            tuple(g for g, _ in tagger.choose(tagger.evidence(r.text, r.lang)))
            for tagger in [Tagger.load(model_path=model)]
            for r in HELDOUT
        ],
    )

    declined = CliRunner().invoke(
        app, ["tag", "--retrain", "--model", str(model)], env=env, input="n\n"
    )
    assert declined.exit_code == 0, declined.output
    assert "12 corrections (1 corrections of held-out messages left out)" in declined.output
    assert f"Held-out set ({len(HELDOUT)} messages)" in declined.output
    assert f"micro-F1 {before.micro_f1:.3f} -> " in declined.output
    assert f"top-1 {before.top1:.3f} -> " in declined.output
    assert "The tagging model is unchanged." in declined.output
    assert model.read_bytes() == original
    assert not model.with_name("model.previous.json").exists()

    accepted = CliRunner().invoke(
        app, ["tag", "--retrain", "--model", str(model), "--yes"], env=env
    )
    assert accepted.exit_code == 0, accepted.output
    kept = model.with_name("model.previous.json")
    assert kept.read_bytes() == original, "the previous model is kept as it was"
    assert model.read_bytes() != original
    new = GoalModel.load(model)
    assert "corrections by staff and writers" in model.read_text(encoding="utf-8")
    # The corrections taught it something: their own word now weighs against goal 11.
    old = dict(GoalModel.load(kept).stem_weights.get("marsr", ()))
    assert dict(new.stem_weights.get("marsr", ())).get(11, 0.0) < old.get(11, 0.0) - 0.05

    async def audits() -> list[str]:
        runtime = build_runtime(make_settings(tmp_path, url))
        try:
            async with runtime.sessions() as session:
                connection = await session.connection()
                rows = await connection.execute(text("SELECT action FROM audit_event"))
                return [str(r[0]) for r in rows]
        finally:
            await runtime.close()

    assert "retrain" in asyncio.run(audits())
