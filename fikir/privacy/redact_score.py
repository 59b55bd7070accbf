"""The yardstick for redaction: when a personal item counts as removed and a kept word as kept."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_PLACEHOLDER = re.compile(r"\[(?:email|link|iban|card|id|fin|phone|username|address|name|plate)\]")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT_RUN = re.compile(r"\d(?:[ \t\-.()/]{0,2}\d)*")
_EMAIL_LOCAL = re.compile(
    r"^(.*?)(?:@|\s*[\[({]\s*(?:at|@|собака)\s*[\])}]|\s+(?:at|собака|sobaka)\s+)", re.I
)
_LINK_PATH = re.compile(r"^[^/]*/(.*)$")
WINDOW = 4


def personal_core(kind: str, item: str) -> str:
    """The part of an item that identifies a person: an e-mail's local part, a link's path."""
    if kind == "email":
        m = _EMAIL_LOCAL.match(item)
        return m.group(1) if m else item
    if kind == "link":
        m = _LINK_PATH.match(re.sub(r"^(?i:https?://)", "", item))
        return m.group(1) if m else item
    return item


def leaked(kind: str, item: str, output: str, rest: str = "") -> bool:
    """True when some piece of `item` is still readable in `output` (see tests/data/privacy/README.md).

    A piece is a run of 4 letters or 4 digits. `rest` is the original message with all its personal
    items blanked (`impersonal_rest`): pieces that also occur there ("mayi" of "Ismayilov" in
    "olunmayib", "quba" of a profile link in the place "Quba") prove nothing and do not count.
    """
    core = personal_core(kind, item)
    rest_letters = [w.casefold() for w in _LETTERS.findall(rest)]
    rest_digits = _digit_runs(rest)
    out = _PLACEHOLDER.sub(" ", output)
    out_letters = [w.casefold() for w in _LETTERS.findall(out)]
    out_digits = _digit_runs(out)
    item_letters = [w.casefold() for w in _LETTERS.findall(core)]
    item_digits = "".join(c for c in core if c.isdigit())
    long_runs = [w for w in item_letters if len(w) >= WINDOW]
    for run in long_runs:
        for i in range(len(run) - WINDOW + 1):
            piece = run[i : i + WINDOW]
            if _found(piece, out_letters) and not _found(piece, rest_letters):
                return True
    for i in range(len(item_digits) - WINDOW + 1):
        piece = item_digits[i : i + WINDOW]
        if _found(piece, out_digits) and not _found(piece, rest_digits):
            return True
    if not long_runs and len(item_digits) < WINDOW:
        # A short item ("Əli", "Ira"): it leaks when any of its words is still a word of the output.
        return any(w in out_letters and w not in rest_letters for w in item_letters if len(w) >= 2)
    return False


def impersonal_rest(text: str, items: Iterable[str]) -> str:
    """`text` with every personal item blanked: what may survive redaction without leaking."""
    for item in sorted(items, key=len, reverse=True):
        text = text.replace(item, " ")
    return text


def _digit_runs(text: str) -> list[str]:
    """Digits of each number in `text`, separators dropped ("050 123-45" -> "05012345")."""
    return ["".join(c for c in m.group() if c.isdigit()) for m in _DIGIT_RUN.finditer(text)]


def _found(piece: str, runs: list[str]) -> bool:
    return any(piece in run for run in runs)


def kept(word: str, output: str) -> bool:
    """A must-keep word is kept when it appears verbatim in the output."""
    return word in output


@dataclass(frozen=True)
class Labelled:
    """One message of the labelled privacy set: its personal items and the words it must keep."""

    id: str
    lang: str
    text: str
    pii: tuple[tuple[str, str], ...]  # (kind, exact substring)
    keep: tuple[str, ...]


def load_labelled(path: Path) -> list[Labelled]:
    """Read a JSON-lines file of {"id", "lang", "text", "pii": [{"kind", "text"}], "keep": [...]}."""
    rows: list[Labelled] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                raw = json.loads(line)
                pii = tuple((str(p["kind"]), str(p["text"])) for p in raw["pii"])
                keep = tuple(str(k) for k in raw["keep"])
                rows.append(Labelled(str(raw["id"]), str(raw["lang"]), str(raw["text"]), pii, keep))
    return rows
