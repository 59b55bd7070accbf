"""The questions fikir asks and asks again, so that nobody is left without a way forward."""

from __future__ import annotations

from fikir.dialog import prompts as p
from fikir.dialog.messages import Reply
from fikir.dialog.state import FREE_TEXT_STATES, PROFILE_STATES, PollWait, Profile, State
from fikir.dialog.turn import Turn

# States whose pending question (a poll's, a statement of the opinion map) is in the record.
QUESTION_STATES = frozenset({State.POLL, State.POLL_ANSWERED, State.OPINION, State.OPINION_ADD})


def show_menu(turn: Turn, *, prompt: bool = True) -> None:
    """The menu; on a paid channel there is none (free text is feedback, numbers answer)."""
    if turn.paid:
        turn.move(State.MENU, choices=(), also=())
        return
    choices = p.menu_choices(turn.lang)
    if prompt:
        turn.ask(State.MENU, p.MENU, choices)
        return
    turn.move(State.MENU, choices=choices, also=())
    last = turn.replies[-1]
    turn.replies[-1] = Reply(last.text, choices, last.language)


def ask_language(turn: Turn, hint: str | None) -> None:
    langs = [hint] if hint else ["az", "ru", "en"]
    if turn.paid:
        # One GSM-7 part: the question in Latin letters, language names in Latin letters.
        choices = p.sms_language_choices()
        text = p.sms_language_question(hint)
    else:
        choices = p.language_choices()
        text = "\n".join(
            p.t(lang, p.WELCOME, organisation=turn.services.organisation_in(lang)) for lang in langs
        )
    # Both spellings of every language name answer the question, whatever was shown.
    known = p.language_choices() + p.sms_language_choices()
    also = tuple(c for c in known if c not in choices)
    turn.move(State.LANGUAGE, choices=choices, also=also)
    turn.replies.append(Reply(text, choices, hint))


def ask_consent(turn: Turn) -> None:
    turn.ask(State.CONSENT, p.CONSENT, p.consent_choices(turn.lang, sms=turn.paid))


def ask_profile(turn: Turn, which: State, *, editing: bool | None = None) -> None:
    """A profile question; `editing` when it comes from settings (kept while re-asked)."""
    if editing is not None:
        turn.move(which, editing=editing)
    if which == State.REGION and turn.paid:
        # Seventeen numbered regions would cost five parts: a paid channel types the district.
        turn.ask(State.REGION, p.ASK_REGION, ())
        turn.move(State.REGION, choices=p.region_choices(turn.lang))
    elif which == State.REGION:
        turn.ask(State.REGION, p.ASK_REGION, p.region_choices(turn.lang))
    elif which == State.AGE:
        choices = p.sms_age_choices(turn.lang) if turn.paid else p.age_choices(turn.lang)
        turn.ask(State.AGE, p.ASK_AGE, choices)
    else:
        choices = p.sms_gender_choices(turn.lang) if turn.paid else p.gender_choices(turn.lang)
        turn.ask(State.GENDER, p.ASK_GENDER, choices)


def ask_settings(turn: Turn) -> None:
    turn.ask(State.SETTINGS, p.SETTINGS, p.settings_choices(turn.lang))


def ask_forget(turn: Turn) -> None:
    turn.ask(State.FORGET, p.FORGET_CONFIRM, p.forget_choices(turn.lang, sms=turn.paid))


def repeat(turn: Turn) -> None:
    """Show the pending question again after an answer that could not be understood."""
    state = turn.state
    if state in PROFILE_STATES:
        editing = isinstance(turn.record, Profile) and turn.record.editing
        ask_profile(turn, state, editing=editing)
    elif state == State.FORGET:
        ask_forget(turn)
    elif state == State.SETTINGS:
        ask_settings(turn)
    elif state in QUESTION_STATES and turn.record.choices and turn.replies:
        question = turn.record.question if isinstance(turn.record, PollWait) else ""
        turn.replies.append(Reply(question, turn.record.choices, turn.lang))
    elif not turn.paid and state in FREE_TEXT_STATES and turn.replies:
        show_menu(turn, prompt=False)
