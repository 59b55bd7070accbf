"""Meeting someone: their language, then consent; joining and leaving the SMS list.

A first message that says something is sealed in the vault until consent, then stored as
feedback; declining erases everything, that message included.
"""

from __future__ import annotations

import base64

from sqlmodel import select

from fikir.config.languages import is_supported
from fikir.dialog import prompts as p
from fikir.dialog.feedback import record_feedback
from fikir.dialog.flows.asking import ask_consent, ask_language, ask_profile, show_menu
from fikir.dialog.flows.feedback import thank
from fikir.dialog.flows.matching import match_pending
from fikir.dialog.keywords import keyword_language
from fikir.dialog.messages import Outcome
from fikir.dialog.safety import open_case, refer_before_consent
from fikir.dialog.state import Onboarding, State
from fikir.dialog.text import has_words, looks_like_feedback
from fikir.dialog.turn import Turn
from fikir.storage.models import Contact, OutboxMessage


async def onboard(turn: Turn, payload: str | None, command: str | None) -> None:
    """Language, then consent; anything else meanwhile gets the pending question again."""
    r = turn.respondent
    if payload is None and turn.text and turn.state in {State.LANGUAGE, State.CONSENT}:
        payload = match_pending(turn)
    if payload is not None and payload.startswith("lang:"):
        await set_language(turn, payload.removeprefix("lang:"))
        return
    if payload == "consent:yes" and r.language:
        await accept_consent(turn)
        return
    if payload == "consent:no":
        turn.say(p.DECLINED)
        await turn.erase()
        return
    state = turn.state
    if command == "language" or state == State.NEW or r.language is None:
        if state == State.NEW and turn.text and looks_like_feedback(turn.text) and command is None:
            sealed = base64.b64encode(turn.services.vault.seal(turn.text)).decode()
            turn.move(State.NEW, pending=sealed)
            await refer_before_consent(turn)  # help comes before any question
        hint = inbound_language(turn)
        if turn.paid and hint and state == State.NEW:
            # Every message costs: answer in the language it was written in.
            await set_language(turn, hint)
            return
        r.language = None
        ask_language(turn, hint)
        return
    if state == State.CONSENT:
        turn.say(p.PICK_ONE)
    ask_consent(turn)


async def set_language(turn: Turn, code: str) -> None:
    r = turn.respondent
    if not is_supported(code):
        ask_language(turn, None)
        return
    r.language = code
    if r.consent_at is None:
        ask_consent(turn)
        return
    turn.say(p.SAVED)
    show_menu(turn)


async def accept_consent(turn: Turn) -> None:
    r = turn.respondent
    r.consent_at = turn.now
    r.subscribed = True
    r.opted_out = False
    await store_contact(turn)
    pending = turn.record.pending if isinstance(turn.record, Onboarding) else None
    if pending is not None:
        turn.move(turn.state, pending=None)
        text = turn.services.vault.open(base64.b64decode(pending))
        recorded = await record_feedback(
            turn.services, r, text, turn.now, turn.writes, turn.session
        )
        await open_case(turn, recorded)  # its referral was given when it arrived
        thank(turn, recorded)
    r.profile_asked = True
    turn.say(p.PROFILE_INTRO)  # not on a paid channel: the region question there says "subscribed"
    ask_profile(turn, State.REGION)


async def join(turn: Turn) -> None:
    turn.respondent.subscribed = True
    turn.respondent.opted_out = False
    await store_contact(turn)
    turn.say(p.SUBSCRIBED)


async def store_contact(turn: Turn) -> None:
    """The address, sealed in the vault, so that fikir can write first (polls, results).

    A channel fikir cannot write to first (a browser's visit, the console, the simulator) keeps
    no address at all: nothing would ever be sent to it.
    """
    if not turn.channel.proactive:
        return
    r = turn.respondent
    existing = (
        await turn.session.exec(select(Contact).where(Contact.pseudonym == r.pseudonym))
    ).first()
    sealed = turn.services.vault.seal(turn.inbound.address)
    if existing is None:
        turn.session.add(
            Contact(
                pseudonym=r.pseudonym,
                channel=turn.inbound.channel,
                address_enc=sealed,
                created_at=turn.now,
            )
        )
    else:
        existing.address_enc = sealed
        existing.channel = turn.inbound.channel
        turn.session.add(existing)


async def unsubscribe(turn: Turn) -> None:
    """STOP: the address leaves the vault and nothing queued for them is sent."""
    r = turn.respondent
    r.subscribed = False
    r.opted_out = True
    contact = (
        await turn.session.exec(select(Contact).where(Contact.pseudonym == r.pseudonym))
    ).first()
    if contact is not None:
        await turn.session.delete(contact)
    for queued in (
        await turn.session.exec(
            select(OutboxMessage).where(
                OutboxMessage.pseudonym == r.pseudonym, OutboxMessage.status == "pending"
            )
        )
    ).all():
        queued.status = "cancelled"
        turn.session.add(queued)
    if r.consent_at is None and r.language is None:
        r.language = inbound_language(turn)
    if turn.state == State.THREAD:
        turn.move(State.MENU, choices=(), also=())  # a staff reply is no longer answered
    turn.say(p.UNSUBSCRIBED)
    turn.outcome = Outcome.UNSUBSCRIBED


def inbound_language(turn: Turn) -> str | None:
    """The channel's hint if it is a language fikir speaks, else what the text is written in."""
    hint = turn.inbound.language_hint
    if hint:
        hint = hint.split("-")[0].lower()
        if is_supported(hint):
            return hint
    if turn.text and has_words(turn.text):
        return turn.services.detect(turn.text) or keyword_language(turn.text)
    return None
