"""Which categories a message's weights add up to, decided once the lexicons have spoken: the
category picks the referral contacts and whether duty officers are alerted, so the choice
between close readings (a beaten child or a beaten adult, a reprisal or a plain threat) is made
here in one place."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fikir.safety.lexicon import CATEGORIES

# Words like "said that", "if not", "family" only frame a threat; once a reprisal is found they
# are its framing, and a threat of harm needs a word of harm.
FRAMING = 0.5
# How much a threat of harm after taking part must weigh before it also makes a reprisal.
SPOKE_OUT = 0.5


def decide(
    scores: Mapping[str, float],
    needs: Callable[[str], float],
    took_part: float,
) -> tuple[str, ...]:
    """The categories whose weight reaches what they need, in the order of CATEGORIES, with the
    house conventions applied: a child's abuse is not also violence (the heavier reading
    stays, the child's on a tie), and a threat of harm made to someone who spoke out is also a
    reprisal."""
    found = {c for c in CATEGORIES if scores.get(c, 0.0) >= needs(c)}
    if {"violence", "child_abuse"} <= found:
        lighter = "violence" if scores["child_abuse"] >= scores["violence"] else "child_abuse"
        found.discard(lighter)
    if "threat" in found and took_part >= SPOKE_OUT:
        found.add("reprisal")
    return tuple(c for c in CATEGORIES if c in found)
