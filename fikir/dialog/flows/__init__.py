"""The conversation of DESIGN.md, one module per part: meeting someone (onboarding), the
profile, feedback, polls; the questions asked again live in `asking`.

`step` routes one Turn: commands (HELP, STOP, …) first, then buttons and typed answers to the
pending question, then free text. Each handler changes only the Turn, its respondent and the
rows of its transaction; the engine (fikir.dialog.engine) decides when a turn runs and commits.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fikir.dialog import prompts as p
from fikir.dialog.flows import (
    feedback,
    onboarding,
    opinion,
    polls,
    profile,
    survey,
    thread,
    updates,
)
from fikir.dialog.flows.asking import ask_forget, ask_language, ask_profile, ask_settings, show_menu
from fikir.dialog.flows.matching import match_pending
from fikir.dialog.keywords import keyword
from fikir.dialog.messages import Reply
from fikir.dialog.state import FREE_TEXT_STATES, PROFILE_STATES, State
from fikir.dialog.text import looks_like_feedback
from fikir.dialog.turn import Turn

Handler = Callable[[Turn, str], Awaitable[None]]


async def step(turn: Turn) -> None:
    r = turn.respondent
    if turn.inbound.media is not None:
        turn.say(p.MEDIA)
        return
    payload = valid_payload(turn.inbound.payload)
    command = None if payload else keyword(turn.text)
    if command == "stop":
        await onboarding.unsubscribe(turn)
        return
    if command == "help":
        if r.language is None:
            # ПОМОЩЬ from an unknown number is answered in Russian, KÖMƏK in Azerbaijani.
            r.language = onboarding.inbound_language(turn)
        turn.say(p.HELP_SMS if turn.paid else p.HELP)
        return
    if r.consent_at is None:
        await onboarding.onboard(turn, payload, command)
        return
    if command is not None:
        await run_command(turn, command)
        return
    if payload is None and turn.state == State.THREAD and await thread.answer(turn):
        return  # staff replied to their message: this is the answer
    if payload is None and turn.state == State.SURVEY:
        await survey.answer_text(turn)  # the question's kind decides how a reply is read
        return
    if payload is None and turn.state == State.OPINION_ADD and await opinion.add_own(turn):
        return  # offered to add a statement to the opinion map: this is it
    if (
        payload is None
        and turn.text
        and not (
            # In the menu a sentence is feedback, never a menu item it happens to mention.
            # Nor is it an answer to a profile question: "нет газа" is not Газах-Товуз.
            turn.state in FREE_TEXT_STATES | set(PROFILE_STATES) and looks_like_feedback(turn.text)
        )
    ):
        payload = match_pending(turn)
    if payload is not None:
        kind, _, value = payload.partition(":")
        await PAYLOADS.get(kind, _back_to_menu)(turn, value)
        return
    await feedback.free_text(turn)


async def run_command(turn: Turn, command: str) -> None:
    """A keyword or menu item: JOIN, FORGET, LANGUAGE, feedback, polls, results, menu."""
    if command == "join":
        await onboarding.join(turn)
    elif command == "forget":
        ask_forget(turn)
    elif command == "language":
        ask_language(turn, turn.respondent.language)
    elif command == "feedback":
        turn.move(State.FEEDBACK, choices=(), also=())
        turn.say(p.ASK_FEEDBACK)
    elif command == "polls":
        await polls.next_poll(turn)
    elif command == "results":
        await polls.results(turn)
    elif command == "updates":
        updates.ask_updates(turn, editing=True)
    elif command == "opinion":
        await opinion.offer(turn)
    else:  # start, menu
        show_menu(turn)


MENU_ITEMS = {"feedback": "feedback", "polls": "polls", "results": "results", "forget": "forget"}


async def _menu(turn: Turn, value: str) -> None:
    if value == "settings":
        ask_settings(turn)
    else:
        await run_command(turn, MENU_ITEMS.get(value, "menu"))


async def _settings(turn: Turn, value: str) -> None:
    if value == "language":
        ask_language(turn, turn.respondent.language)
    elif value == "updates":
        updates.ask_updates(turn, editing=True)
    elif value in {state.value for state in PROFILE_STATES}:
        ask_profile(turn, State(value), editing=True)
    else:
        show_menu(turn)


async def _forget(turn: Turn, value: str) -> None:
    if value != "yes":
        turn.say(p.FORGET_KEPT)
        show_menu(turn)
        return
    lang, paid = turn.lang, turn.paid
    await turn.erase()
    message = p.SMS_FORGOTTEN if paid else p.FORGOTTEN
    turn.replies.append(Reply(p.t(lang, message), (), lang))


async def _language(turn: Turn, value: str) -> None:
    await onboarding.set_language(turn, value)


async def _back_to_menu(turn: Turn, value: str) -> None:
    show_menu(turn)


def _profile(which: State) -> Handler:
    async def handle(turn: Turn, value: str) -> None:
        await profile.set_profile(turn, which, value)

    return handle


# Every kind of button payload and what handles it; anything else is not ours.
PAYLOADS: dict[str, Handler] = {
    "lang": _language,
    "consent": _back_to_menu,  # consent given already: a stale button
    "region": _profile(State.REGION),
    "age": _profile(State.AGE),
    "gender": _profile(State.GENDER),
    "menu": _menu,
    "settings": _settings,
    "forget": _forget,
    "poll": polls.answer_poll,
    "topic": feedback.choose_topic,
    "updates": updates.answer,
    "survey": survey.answer_button,
    "opinion": opinion.answer,
}


def valid_payload(payload: str | None) -> str | None:
    """Button payloads come from our own keyboards, but a forged one must be harmless."""
    if not payload or len(payload.encode()) > 64 or not payload.isascii():
        return None
    return payload if payload.partition(":")[0] in PAYLOADS else None
