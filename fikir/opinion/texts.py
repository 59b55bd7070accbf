"""What people read of the opinion map: a statement to vote on, the vote words, the map itself."""

from __future__ import annotations

from fikir.config.languages import LANGUAGE_CODES
from fikir.config.markers import N_
from fikir.i18n import translate
from fikir.outbox.segments import count_segments, fit_for_sms

MAX_SMS_SEGMENTS = 2  # as for a poll question with its options

ASK = N_("Do you agree? «{statement}»")
AGREE = N_("Agree")
DISAGREE = N_("Disagree")
PASS = N_("Pass")
ADD_ASK = N_(
    "Thank you. Add your own view in one sentence: others will vote on it once the team has "
    "checked it. Or choose Finish."
)
# By SMS every reply fits one part (70 letters in Cyrillic or Georgian), Finish included.
SMS_ADD_ASK = N_("Write your own view in one sentence. Others will vote on it after a check.")
FINISH = N_("Finish")
ADDED = N_("Thank you. Others will see your view once the team has checked it.")
CLOSED = N_("This discussion has closed. Thank you for taking part.")
# Asked for a statement (the keyword) when no open topic has one left for them; one SMS part.
NOTHING_OPEN = N_("No discussion is open for votes now. Thank you!")
# The map on the results page and the dashboard.
MAP_TITLE = N_("Opinion map: {topic}")
GROUP = N_("Group {n}")
GROUP_PEOPLE = N_("People in this group: {people}")
GROUP_AGREES = N_("This group agrees on")
DIVIDES = N_("Where the groups differ")
CONSENSUS = N_("What everyone shares")
FIGURES = N_("{agree}% agree, {disagree}% disagree (votes: {votes})")
MAP_NOTE = N_(
    "People are grouped by how they vote. Groups of fewer than {k} people, and figures from "
    "fewer than {k} votes, are not shown."
)
MAP_EMPTY = N_("Too few people have voted yet to show the groups safely.")

VOTE_LABELS = ((AGREE, "a"), (DISAGREE, "d"), (PASS, "p"))


def vote_payload(statement_id: int, left: int, letter: str) -> str:
    """The button payload of one vote: the statement, how many remain in the round, the vote."""
    return f"opinion:v:{statement_id}:{left}:{letter}"


def finish_payload(topic_id: int) -> str:
    return f"opinion:done:{topic_id}"


def vote_choices(statement_id: int, left: int, lang: str) -> tuple[tuple[str, str], ...]:
    """(payload, label) of agree, disagree, pass in `lang`: 1, 2 and 3 by SMS."""
    return tuple(
        (vote_payload(statement_id, left, letter), translate(lang, label))
        for label, letter in VOTE_LABELS
    )


def vote_words(statement_id: int, left: int, lang: str) -> tuple[tuple[str, str], ...]:
    """The same three votes in every other language, so "razıyam" or "agree" counts anywhere."""
    return tuple(
        (vote_payload(statement_id, left, letter), translate(code, label))
        for code in LANGUAGE_CODES
        if code != lang
        for label, letter in VOTE_LABELS
    )


def ask_text(statement: str, lang: str) -> str:
    return translate(lang, ASK, statement=statement)


def sms_text(statement_id: int, statement: str, left: int, lang: str, transliterate: str) -> str:
    """The statement with its numbered votes, as one SMS (plain letters where the language's
    SMS are written so)."""
    labels = "  ".join(
        f"{i} {label}" for i, (_, label) in enumerate(vote_choices(statement_id, left, lang), 1)
    )
    return fit_for_sms(f"{ask_text(statement, lang)}\n{labels}", lang, transliterate)


def sms_segments(statement: str, lang: str, transliterate: str = "auto") -> int:
    return count_segments(sms_text(0, statement, 3, lang, transliterate)).segments
