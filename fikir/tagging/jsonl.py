"""The `fikir tag` contract: JSON lines {"id", "text", "lang"?} in, tags and safety categories out."""

from __future__ import annotations

import json
from typing import TextIO

from fikir.safety import detect_safety, explain_safety
from fikir.tagging.tagger import Tagger


def _output(
    record_id: object, tagger: Tagger, text: str, lang: str | None, explain: bool
) -> dict[str, object]:
    result = tagger.tag(text, lang)
    out: dict[str, object] = {
        "id": record_id,
        "lang": result.lang,
        "sdgs": [{"goal": item.goal, "score": round(item.score, 2)} for item in result.goals],
        "priority_areas": list(result.priority_areas),
        "safety": list(detect_safety(text, result.lang)),
    }
    if explain:
        words = tagger.explain(text, result.lang)
        out["explain"] = {str(goal): words.get(goal, []) for goal in result.goal_numbers}
        out["safety_explain"] = explain_safety(text, result.lang)
    return out


def run_jsonl(
    infile: TextIO, outfile: TextIO, explain: bool = False, tagger: Tagger | None = None
) -> int:
    """Tag every JSON line of `infile` into `outfile`; returns how many messages were tagged.

    A line that is not a JSON object with a string "text" gets {"id", "error"} back instead,
    so one bad line never stops a batch."""
    if tagger is None:
        from fikir.tagging import default_tagger

        tagger = default_tagger()
    count = 0
    for number, line in enumerate(infile, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            out: dict[str, object] = {"id": None, "error": f"line {number}: not JSON ({exc.msg})"}
        else:
            record_id = record.get("id") if isinstance(record, dict) else None
            text = record.get("text") if isinstance(record, dict) else None
            lang = record.get("lang") if isinstance(record, dict) else None
            if not isinstance(text, str):
                out = {"id": record_id, "error": f'line {number}: needs a string "text"'}
            else:
                hint = lang.strip().lower() or None if isinstance(lang, str) else None
                out = _output(record_id, tagger, text, hint, explain)
                count += 1
        outfile.write(json.dumps(out, ensure_ascii=False) + "\n")
    outfile.flush()
    return count
