"""Redaction of personal data from free-text feedback before it is stored, shown or exported."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from fikir.privacy.redact_address import find_addresses
from fikir.privacy.redact_cards import find_card_details, find_plates
from fikir.privacy.redact_common import Found
from fikir.privacy.redact_contacts import find_contacts
from fikir.privacy.redact_names import find_names
from fikir.privacy.redact_numbers import find_numbers

__all__ = ["KINDS", "RedactionHit", "redact", "redact_with_report", "run_jsonl"]

# When two findings overlap, their union is replaced and named after the earlier kind here.
KINDS: tuple[str, ...] = (
    "email",
    "link",
    "iban",
    "card",
    "id",
    "plate",
    "fin",
    "phone",
    "username",
    "address",
    "name",
)
_RANK = {kind: i for i, kind in enumerate(KINDS)}
# Each pass can only shorten or keep what it finds, so a second pass normally finds nothing;
# the bound only guards against a rule that keeps rewriting its own output.
_MAX_PASSES = 4


@dataclass(frozen=True, slots=True)
class RedactionHit:
    """One placeholder in the redacted text: its kind and where it sits (never the original words)."""

    kind: str
    start: int
    end: int


def redact(text: str) -> str:
    """Return `text` with personal data replaced by placeholders such as "[phone]" and "[name]"."""
    return redact_with_report(text)[0]


def redact_with_report(text: str) -> tuple[str, list[RedactionHit]]:
    """Redact `text` and say which placeholders were put where (offsets into the redacted text)."""
    hits: list[RedactionHit] = []
    current = text
    for _ in range(_MAX_PASSES):
        spans = _merged(_detect(current))
        if not spans:
            break
        current, hits = _apply(current, spans, hits)
    return current, hits


def run_jsonl(infile: TextIO, outfile: TextIO) -> int:
    """`fikir redact`: read JSON lines {"id", "text"}, write {"id", "text"} redacted; return the count."""
    written = 0
    for lineno, line in enumerate(infile, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            # The decoder's message and context would quote the unredacted text; name the line only.
            raise ValueError(f"line {lineno}: not valid JSON") from None
        if (
            not isinstance(record, dict)
            or "id" not in record
            or not isinstance(record.get("text"), str)
        ):
            raise ValueError(f'line {lineno}: expected an object with "id" and a string "text"')
        out = {"id": record["id"], "text": redact(record["text"])}
        outfile.write(json.dumps(out, ensure_ascii=False) + "\n")
        written += 1
    return written


def _detect(text: str) -> list[Found]:
    contacts = find_contacts(text)
    numbers = find_numbers(text)
    numbers += find_card_details(text, numbers) + find_plates(text)
    addresses = find_addresses(text)
    names = find_names(text, contacts + numbers)
    return contacts + numbers + addresses + names


def _merged(found: list[Found]) -> list[Found]:
    """Sort findings and fuse overlapping ones, so that no fragment of either survives."""
    merged: list[Found] = []
    for f in sorted(found):
        if f.end <= f.start:
            continue
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            kind = last.kind if _RANK[last.kind] <= _RANK[f.kind] else f.kind
            merged[-1] = Found(last.start, max(last.end, f.end), kind)
        else:
            merged.append(f)
    return merged


def _apply(
    text: str, spans: list[Found], hits: list[RedactionHit]
) -> tuple[str, list[RedactionHit]]:
    """Replace `spans` by placeholders, carrying earlier hits over to their new offsets."""
    pieces: list[str] = []
    new_hits: list[RedactionHit] = []
    shifts: list[
        tuple[int, int]
    ] = []  # (end of a replaced span in the old text, total shift so far)
    last, shift = 0, 0
    for s in spans:
        placeholder = f"[{s.kind}]"
        pieces += [text[last : s.start], placeholder]
        new_hits.append(RedactionHit(s.kind, s.start + shift, s.start + shift + len(placeholder)))
        shift += len(placeholder) - (s.end - s.start)
        shifts.append((s.end, shift))
        last = s.end
    pieces.append(text[last:])
    for h in hits:
        if any(s.start < h.end and h.start < s.end for s in spans):
            continue  # swallowed by a wider span found in this pass
        delta = next((d for end, d in reversed(shifts) if end <= h.start), 0)
        new_hits.append(RedactionHit(h.kind, h.start + delta, h.end + delta))
    return "".join(pieces), sorted(new_hits, key=lambda h: h.start)
