"""Request bodies are untrusted: JSON that would crash the parser is a 400, never a 500.

`json.loads` raises RecursionError on deep nesting and ValueError on integers longer than
4,300 digits; text with lone surrogates (`"\\ud800"`) parses but cannot be encoded again. The
webhooks parse through here so each of these is refused before any handler sees it.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

from fastapi import HTTPException

MAX_JSON_DEPTH = 64  # a Telegram update nests about 6 deep; nothing real comes near this
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_LONE_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when arrays and objects nest deeper than `limit` (strings are not counted)."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", body))
    return bool(brackets) and max(accumulate(_STEP[byte] for byte in brackets)) > limit


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def json_body(body: bytes) -> object:
    """The parsed body; HTTPException(400) for anything that is not plain, sane JSON."""
    if json_too_deep(body):
        raise HTTPException(status_code=400, detail="nested too deep")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise HTTPException(status_code=400, detail="not JSON") from None
    if _LONE_SURROGATE_ESCAPE.search(body) and _has_lone_surrogate(data):
        raise HTTPException(status_code=400, detail="not UTF-8 text")
    return data
