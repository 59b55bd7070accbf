"""A typed answer to the pending question: a number, a label in other words, an age, a district."""

from __future__ import annotations

from fikir.dialog.flows.profile import age_band_of
from fikir.dialog.messages import Choice
from fikir.dialog.regions import match_region
from fikir.dialog.state import State
from fikir.dialog.turn import Turn
from fikir.i18n.textfold import fold
from fikir.polls import match_option


def match_pending(turn: Turn) -> str | None:
    """The payload of the offered choice the text picks, or None."""
    offered = turn.record.choices
    if not offered:
        return None
    state = turn.state
    text = turn.text.strip()
    if state == State.REGION and turn.paid and text.isdigit():
        # On a paid channel no region numbers were shown: only 0 (skip) is a number that answers.
        return "region:skip" if text == "0" else None
    exact = exact_choice(text, offered + turn.record.also)
    if exact is not None:
        return exact
    index = match_option(turn.text, [c.label for c in offered], turn.lang)
    if index is not None:
        return offered[index].payload
    if state == State.AGE:
        band = age_band_of(turn.text)
        return f"age:{band}" if band else None
    if state == State.REGION:
        region = match_region(turn.text, turn.lang)
        return f"region:{region}" if region else None
    also = turn.record.also
    if also and not text.isdigit():
        index = match_option(turn.text, [c.label for c in also], turn.lang)
        return also[index].payload if index is not None else None
    return None


def exact_choice(text: str, choices: tuple[Choice, ...]) -> str | None:
    """The payload whose label the text is, word for word (case, diacritics and the punctuation
    around it aside): before any fuzzy matching, so that Talysh "Razı nim" (disagree) is not
    taken for Azerbaijani "Razıyam" (agree). None when no label, or labels of two payloads, fit.
    """
    key = _key(text)
    if not key:
        return None
    found = {c.payload for c in choices if _key(c.label) == key}
    return found.pop() if len(found) == 1 else None


def _key(text: str) -> str:
    return " ".join(fold(text).strip(" .,!?;:()«»\"'").split())
