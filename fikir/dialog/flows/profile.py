"""The optional profile (region, age band, gender), asked once after consent, each skippable."""

from __future__ import annotations

import re

from fikir.dialog import prompts as p
from fikir.dialog.flows.asking import ask_profile, show_menu
from fikir.dialog.flows.updates import ask_once_after_feedback
from fikir.dialog.state import PROFILE_STATES, Profile, State
from fikir.dialog.turn import Turn

FIELDS = {State.REGION: "region", State.AGE: "age_band", State.GENDER: "gender"}


async def set_profile(turn: Turn, which: State, value: str) -> None:
    """Keep the answer ("skip" keeps nothing), then the next question or back to the menu."""
    if value != "skip":
        setattr(turn.respondent, FIELDS[which], value)
    if isinstance(turn.record, Profile) and turn.record.editing:
        turn.say(p.SAVED)
        show_menu(turn)
        return
    position = PROFILE_STATES.index(which)
    if position + 1 < len(PROFILE_STATES):
        ask_profile(turn, PROFILE_STATES[position + 1])
        return
    if turn.paid:
        turn.say(p.HELP_SMS)
    # A first message written before consent was stored then: its question comes now.
    if await ask_once_after_feedback(turn):
        return
    show_menu(turn)


def age_band_of(text: str) -> str | None:
    """People answer "how old are you" with their age ("20", "yaşım 17", "мне 34")."""
    numbers = [int(n) for n in re.findall(r"(?<!\d)(\d{1,3})(?!\d)", text)]
    if len(numbers) != 1 or not 5 <= numbers[0] <= 110:
        return None
    age = numbers[0]
    for limit, band in ((17, "under_18"), (24, "18_24"), (34, "25_34"), (54, "35_54")):
        if age <= limit:
            return band
    return "55_plus"
