"""The opinion map in the conversation: a few statements by others to agree with, disagree with
or pass (1, 2, 3, the words in any language, or buttons), then one's own statement, redacted and
held for staff."""

from __future__ import annotations

from fikir.dialog import prompts as p
from fikir.dialog.flows.asking import show_menu
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.state import PollWait, State
from fikir.dialog.text import has_words, small_number
from fikir.dialog.turn import Turn
from fikir.opinion import texts as o
from fikir.opinion.round import ROUND
from fikir.opinion.service import (
    VOTES,
    add_statement,
    next_statement,
    record_vote,
    text_in,
    topics,
)
from fikir.storage.opinion_tables import OpinionStatement

MIN_WORDS = 3  # "ok" or "yes" after the offer is not a statement


def statement_wait(statement_id: int, text: str, left: int, lang: str) -> PollWait:
    """What a conversation waits on while a statement is put to the person."""
    return PollWait(
        choices=tuple(Choice(*c) for c in o.vote_choices(statement_id, left, lang)),
        also=tuple(Choice(*c) for c in o.vote_words(statement_id, left, lang)),
        question=o.ask_text(text, lang),
    )


def ask_statement(turn: Turn, statement: OpinionStatement, left: int) -> None:
    assert statement.id is not None  # noqa: S101 - loaded statements have ids
    wait = statement_wait(statement.id, text_in(statement, turn.lang), left, turn.lang)
    turn.move(State.OPINION, choices=wait.choices, also=wait.also, question=wait.question)
    turn.replies.append(Reply(wait.question, wait.choices, turn.lang))


async def offer(turn: Turn) -> None:
    """Asked for a statement (the keyword, any time): the next one of an open topic, the oldest
    topic first, or word that nothing is open now."""
    if turn.respondent.id is not None:
        for topic in reversed(await topics(turn.session, "open")):
            found = await next_statement(turn.session, topic.id or 0, turn.respondent.id)
            if found is not None:
                ask_statement(turn, found, ROUND)
                return
    turn.move(State.MENU, choices=(), also=())
    turn.say(o.NOTHING_OPEN)
    show_menu(turn, prompt=False)


def ask_own(turn: Turn, topic_id: int) -> None:
    """The offer to add a statement; the next message with words is that statement."""
    choices = (Choice(o.finish_payload(topic_id), p.t(turn.lang, o.FINISH)),)
    ask = o.SMS_ADD_ASK if turn.paid else o.ADD_ASK
    turn.move(State.OPINION_ADD, choices=choices, also=(), question=p.t(turn.lang, ask))
    turn.say(ask, choices)


async def answer(turn: Turn, value: str) -> None:
    """A vote ("v:statement:left:a|d|p") or the end of the round ("done:topic")."""
    kind, _, rest = value.partition(":")
    if kind == "v":
        await _vote(turn, rest)
        return
    if isinstance(turn.record, PollWait):
        turn.move(turn.state, question="")
    show_menu(turn)


async def _vote(turn: Turn, value: str) -> None:
    parts = value.split(":")
    numbers = [small_number(part) for part in parts[:2]]
    vote = VOTES.get(parts[2]) if len(parts) == 3 else None
    statement_id, left = numbers if len(numbers) == 2 else (None, None)
    if statement_id is None or left is None or vote is None or turn.respondent.id is None:
        show_menu(turn)
        return
    outcome, statement = await record_vote(
        turn.session, statement_id, turn.respondent.id, vote, turn.now
    )
    if outcome != "ok" or statement is None:
        turn.move(State.MENU, choices=(), also=())
        turn.say(o.CLOSED)
        show_menu(turn, prompt=False)
        return
    await turn.session.flush()
    following = None
    if left > 1:
        following = await next_statement(turn.session, statement.topic_id, turn.respondent.id)
    if following is not None:
        ask_statement(turn, following, min(left - 1, ROUND))
    else:
        ask_own(turn, statement.topic_id)


async def add_own(turn: Turn) -> bool:
    """The text as the person's own statement (redacted first); False if it is not one: too
    short to be a view, or about violence, abuse, self-harm, threats or reprisals, which is
    answered as such a message is (referral contacts, the staff safety queue), never put up
    for others to vote on."""
    text = turn.text
    if not has_words(text) or len(text.split()) < MIN_WORDS or small_number(text) is not None:
        return False
    if turn.services.safety(text, turn.lang):
        return False
    topic_id = _topic_of(turn)
    if topic_id is None or turn.respondent.id is None:
        return False
    redacted, _ = turn.services.redact(turn.text)
    added = await add_statement(
        turn.session, topic_id, turn.respondent.id, redacted, turn.lang, turn.now
    )
    turn.move(State.MENU, choices=(), also=())
    turn.say(o.ADDED if added is not None else o.CLOSED)
    show_menu(turn, prompt=False)
    return True


def _topic_of(turn: Turn) -> int | None:
    """The topic the offer was made for: its Finish choice names it."""
    for choice in turn.record.choices:
        kind, _, topic = choice.payload.removeprefix("opinion:").partition(":")
        if kind == "done":
            return small_number(topic)
    return None
