"""Retraining the goal model from staff's and writers' corrections plus the shipped training data,
scored before and after on the shipped held-out set, so staff can judge a new model before it
replaces the one in use (which is kept beside it)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fikir.i18n.textfold import fold as fold_text
from fikir.tagging.evaluate import Labelled, Scores, load_labelled, score
from fikir.tagging.model import MODEL_PATH, GoalModel
from fikir.tagging.tagger import Tagger
from fikir.tagging.train import DEFAULT_DATA, TrainConfig, collect, fit


@dataclass(frozen=True)
class Retrained:
    """A candidate model and how it and the model in use score on the held-out messages."""

    model: GoalModel
    before: Scores
    after: Scores
    shipped: int
    corrections: int
    left_out: int  # corrections whose text is a held-out message: never trained on


def corrections_from_jsonl(lines: Iterable[str]) -> list[Labelled]:
    """The lines `fikir tag --export-corrections` writes, as training records."""
    found = []
    for line in lines:
        if not line.strip():
            continue
        raw = json.loads(line)
        found.append(
            Labelled(str(raw["id"]), raw.get("lang") or "", raw["text"], tuple(raw["sdgs"]), "fix")
        )
    return found


def _predict(tagger: Tagger, records: list[Labelled]) -> list[tuple[int, ...]]:
    return [
        tuple(goal for goal, _ in tagger.choose(tagger.evidence(r.text, r.lang or None)))
        for r in records
    ]


def retrain(
    corrections: list[Labelled],
    data: Path = DEFAULT_DATA,
    current: Path = MODEL_PATH,
    config: TrainConfig | None = None,
) -> Retrained:
    """Fit a model on the shipped dev messages and the corrections; score both on held-out.

    A correction of a held-out message is left out of training (its score would flatter the
    new model); a correction's goals replace the shipped label of the same text.
    """
    shipped = load_labelled(data, "dev")
    heldout = load_labelled(data, "heldout")
    unseen = {fold_text(r.text) for r in heldout}
    usable = [c for c in corrections if fold_text(c.text) not in unseen]
    corrected = {fold_text(c.text) for c in usable}
    records = [r for r in shipped if fold_text(r.text) not in corrected] + usable
    lexicon = Tagger.load(model_path=None)
    model = fit(collect(lexicon, records), config or TrainConfig())
    gold = [r.goals for r in heldout]
    before = score(gold, _predict(Tagger.load(model_path=current), heldout))
    lexicon.model = model
    after = score(gold, _predict(lexicon, heldout))
    return Retrained(
        model, before, after, len(shipped), len(usable), len(corrections) - len(usable)
    )


def install(found: Retrained, target: Path = MODEL_PATH) -> Path | None:
    """Write the new model to `target`, keeping the one it replaces as `<name>.previous.json`.

    Returns where the previous model was kept (None when there was none).
    """
    kept = None
    if target.exists():
        kept = target.with_name(target.stem + ".previous.json")
        shutil.copy2(target, kept)
    data = found.model.to_json()
    data["trained_on"] = (
        f"{found.shipped} dev messages and {found.corrections} corrections by staff and writers"
    )
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    temporary.replace(target)
    return kept
