"""A typed answer to the pending question: a number, a label in other words, an age, a district."""

from __future__ import annotations

from fikir.dialog.flows.profile import age_band_of
from fikir.dialog.regions import match_region
from fikir.dialog.state import State
from fikir.dialog.turn import Turn
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
