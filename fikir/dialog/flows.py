"""The conversation of DESIGN.md: onboarding, profile, feedback, polls, results, forgetting.

Each method takes the Turn being handled and changes only it, its respondent and the rows of
its transaction; the engine (fikir.dialog.engine) decides when a turn runs and commits it.
"""

from __future__ import annotations

import base64
import re

from sqlmodel import select

from fikir.config.languages import is_supported
from fikir.dialog import prompts as p
from fikir.dialog.feedback import record_feedback, record_topic
from fikir.dialog.keywords import keyword, keyword_language
from fikir.dialog.messages import Choice, Reply
from fikir.dialog.regions import match_region
from fikir.dialog.services import Services
from fikir.dialog.text import has_words, looks_like_feedback
from fikir.dialog.turn import Turn
from fikir.polls import match_option
from fikir.polls.service import latest_shared_results, load_view, open_polls_for, record_answer
from fikir.polls.texts import render_results
from fikir.storage.models import Contact, OutboxMessage

PROFILE_ORDER = ("region", "age", "gender")
# States in which a sentence is taken as feedback rather than as an answer to a question.
FREE_TEXT_STATES = frozenset({"menu", "feedback", "topic"})


class Flows:
    """What fikir says and stores in reply to one message, given the respondent's state."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def step(self, turn: Turn) -> None:
        r = turn.respondent
        inbound = turn.inbound
        if inbound.media is not None:
            turn.say(p.MEDIA)
            return
        payload = _valid_payload(inbound.payload)
        command = None if payload else keyword(turn.text)
        if command == "stop":
            await self._unsubscribe(turn)
            return
        if command == "help":
            if r.language is None:
                # ПОМОЩЬ from an unknown number is answered in Russian, KÖMƏK in Azerbaijani.
                r.language = inbound_language(turn, self._services)
            turn.say(p.HELP_SMS if turn.sms else p.HELP)
            return
        if r.consent_at is None:
            await self._onboard(turn, payload, command)
            return
        if command is not None:
            await self._command(turn, command)
            return
        if (
            payload is None
            and turn.text
            and not (
                # In the menu a sentence is feedback, never a menu item it happens to mention.
                # Nor is it an answer to a profile question: "нет газа" is not Газах-Товуз.
                r.state in FREE_TEXT_STATES | set(PROFILE_ORDER) and looks_like_feedback(turn.text)
            )
        ):
            payload = self._match_pending(turn)
        if payload is not None:
            await self._payload(turn, payload)
            return
        await self._free_text(turn)

    def _match_pending(self, turn: Turn) -> str | None:
        raw = turn.data.get("choices")
        if not isinstance(raw, list) or not raw:
            return None
        pairs = [(str(item[0]), str(item[1])) for item in raw if isinstance(item, list)]
        state = turn.respondent.state
        if state == "region" and turn.sms and turn.text.strip().isdigit():
            # By SMS no region numbers were shown: only 0 (skip) is a number that answers.
            return "region:skip" if turn.text.strip() == "0" else None
        index = match_option(turn.text, [label for _, label in pairs], turn.lang)
        if index is not None:
            return pairs[index][0]
        if state == "age":
            band = age_band_of(turn.text)
            return f"age:{band}" if band else None
        if state == "region":
            region = match_region(turn.text, turn.lang)
            return f"region:{region}" if region else None
        also = turn.data.get("also")
        if isinstance(also, list) and also and not turn.text.strip().isdigit():
            extra = [(str(item[0]), str(item[1])) for item in also if isinstance(item, list)]
            index = match_option(turn.text, [label for _, label in extra], turn.lang)
            return extra[index][0] if index is not None else None
        return None

    async def _onboard(self, turn: Turn, payload: str | None, command: str | None) -> None:
        """Language, then consent; a first substantive message waits, encrypted, for consent."""
        r = turn.respondent
        if payload is None and turn.text and r.state in {"language", "consent"}:
            payload = self._match_pending(turn)
        if payload is not None and payload.startswith("lang:"):
            await self._set_language(turn, payload.removeprefix("lang:"))
            return
        if payload == "consent:yes" and r.language:
            await self._accept_consent(turn)
            return
        if payload == "consent:no":
            turn.say(p.DECLINED)
            await turn.erase()
            return
        if command == "language" or r.state == "new" or r.language is None:
            if (
                r.state == "new"
                and turn.text
                and looks_like_feedback(turn.text)
                and command is None
            ):
                turn.data["pending"] = base64.b64encode(
                    self._services.vault.seal(turn.text)
                ).decode()
            hint = inbound_language(turn, self._services)
            if turn.sms and hint and r.state == "new":
                # SMS costs money per message: answer in the language it was written in.
                await self._set_language(turn, hint)
                return
            r.language = None
            self._ask_language(turn, hint)
            return
        if r.state == "consent":
            turn.say(p.PICK_ONE)
        self._ask_consent(turn)

    def _ask_language(self, turn: Turn, hint: str | None) -> None:
        turn.respondent.state = "language"
        langs = [hint] if hint else ["az", "ru", "en"]
        if turn.sms:
            # One GSM-7 part: the question in Latin letters, language names in Latin letters.
            choices = p.sms_language_choices()
            text = p.sms_language_question(hint)
        else:
            choices = p.language_choices()
            text = "\n".join(p.t(lang, p.WELCOME) for lang in langs)
        # Both spellings of every language name answer the question, whatever was shown.
        known = p.language_choices() + p.sms_language_choices()
        turn.data["choices"] = [[c.payload, c.label] for c in choices]
        turn.data["also"] = [[c.payload, c.label] for c in known if c not in choices]
        turn.replies.append(Reply(text, choices, hint))

    def _ask_consent(self, turn: Turn) -> None:
        turn.ask("consent", p.CONSENT, p.consent_choices(turn.lang, sms=turn.sms))

    async def _set_language(self, turn: Turn, code: str) -> None:
        r = turn.respondent
        if not is_supported(code):
            self._ask_language(turn, None)
            return
        r.language = code
        if r.consent_at is None:
            self._ask_consent(turn)
            return
        turn.say(p.SAVED)
        self._show_menu(turn)

    async def _accept_consent(self, turn: Turn) -> None:
        r = turn.respondent
        r.consent_at = turn.now
        r.subscribed = True
        r.opted_out = False
        await self._store_contact(turn)
        pending = turn.data.pop("pending", None)
        if isinstance(pending, str):
            text = self._services.vault.open(base64.b64decode(pending))
            recorded = await record_feedback(
                self._services, r, text, turn.now, turn.writes, turn.session
            )
            turn.say(p.THANKS, code=recorded.display_code)
        r.profile_asked = True
        turn.say(p.PROFILE_INTRO)  # not by SMS: the region question there says "subscribed"
        self._ask_profile(turn, "region")

    async def _store_contact(self, turn: Turn) -> None:
        r = turn.respondent
        existing = (
            await turn.session.exec(select(Contact).where(Contact.pseudonym == r.pseudonym))
        ).first()
        sealed = self._services.vault.seal(turn.inbound.address)
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

    async def _unsubscribe(self, turn: Turn) -> None:
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
            turn.respondent.language = inbound_language(turn, self._services)
        turn.say(p.UNSUBSCRIBED)

    def _ask_profile(self, turn: Turn, which: str) -> None:
        if which == "region" and turn.sms:
            # Seventeen numbered regions would cost five parts: by SMS the district is typed.
            turn.ask("region", p.ASK_REGION, ())
            turn.data["choices"] = [[c.payload, c.label] for c in p.region_choices(turn.lang)]
        elif which == "region":
            turn.ask("region", p.ASK_REGION, p.region_choices(turn.lang))
        elif which == "age":
            choices = p.sms_age_choices(turn.lang) if turn.sms else p.age_choices(turn.lang)
            turn.ask("age", p.ASK_AGE, choices)
        else:
            choices = p.sms_gender_choices(turn.lang) if turn.sms else p.gender_choices(turn.lang)
            turn.ask("gender", p.ASK_GENDER, choices)

    def _show_menu(self, turn: Turn, *, prompt: bool = True) -> None:
        if turn.sms:
            # No menu by SMS: every part costs the sender; free text is feedback, numbers answer.
            turn.respondent.state = "menu"
            turn.data["choices"] = []
            return
        if prompt:
            turn.ask("menu", p.MENU, p.menu_choices(turn.lang))
        else:
            turn.respondent.state = "menu"
            choices = p.menu_choices(turn.lang)
            turn.data["choices"] = [[c.payload, c.label] for c in choices]
            last = turn.replies[-1]
            turn.replies[-1] = Reply(last.text, choices, last.language)

    async def _command(self, turn: Turn, command: str) -> None:
        if command == "join":
            turn.respondent.subscribed = True
            turn.respondent.opted_out = False
            await self._store_contact(turn)
            turn.say(p.SUBSCRIBED)
        elif command == "forget":
            turn.ask("forget", p.FORGET_CONFIRM, p.forget_choices(turn.lang, sms=turn.sms))
        elif command == "language":
            self._ask_language(turn, turn.respondent.language)
        elif command == "feedback":
            turn.respondent.state = "feedback"
            turn.data["choices"] = []
            turn.say(p.ASK_FEEDBACK)
        elif command == "polls":
            await self._next_poll(turn)
        elif command == "results":
            await self._results(turn)
        else:  # start, menu
            self._show_menu(turn)

    async def _payload(self, turn: Turn, payload: str) -> None:
        kind, _, value = payload.partition(":")
        r = turn.respondent
        if kind == "lang":
            await self._set_language(turn, value)
        elif kind in {"region", "age", "gender"}:
            await self._set_profile(turn, kind, value)
        elif kind == "menu":
            mapping = {
                "feedback": "feedback",
                "polls": "polls",
                "results": "results",
                "forget": "forget",
                "back": "menu",
            }
            if value == "settings":
                turn.ask("settings", p.SETTINGS, p.settings_choices(turn.lang))
            else:
                await self._command(turn, mapping.get(value, "menu"))
        elif kind == "settings":
            if value == "language":
                self._ask_language(turn, r.language)
            elif value in PROFILE_ORDER:
                turn.data["editing"] = True
                self._ask_profile(turn, value)
            else:
                self._show_menu(turn)
        elif kind == "forget":
            if value == "yes":
                lang = turn.lang
                await turn.erase()
                message = p.SMS_FORGOTTEN if turn.sms else p.FORGOTTEN
                turn.replies.append(Reply(p.t(lang, message), (), lang))
            else:
                turn.say(p.FORGET_KEPT)
                self._show_menu(turn)
        elif kind == "poll":
            await self._answer_poll(turn, value)
        elif kind == "topic":
            feedback_id, _, goal = value.partition(":")
            if feedback_id.isdigit() and goal.isdigit() and int(goal) > 0:
                await record_topic(turn.session, r, int(feedback_id), int(goal), turn.now)
            turn.say(p.TOPIC_THANKS)
            self._show_menu(turn, prompt=False)
        elif kind == "consent":
            self._show_menu(turn)
        else:
            self._show_menu(turn)

    async def _set_profile(self, turn: Turn, which: str, value: str) -> None:
        r = turn.respondent
        field_name = {"region": "region", "age": "age_band", "gender": "gender"}[which]
        if value != "skip":
            setattr(r, field_name, value)
        if turn.data.pop("editing", False):
            turn.say(p.SAVED)
            self._show_menu(turn)
            return
        position = PROFILE_ORDER.index(which)
        if position + 1 < len(PROFILE_ORDER):
            self._ask_profile(turn, PROFILE_ORDER[position + 1])
            return
        if turn.sms:
            turn.say(p.HELP_SMS)
        self._show_menu(turn)

    async def _free_text(self, turn: Turn) -> None:
        r = turn.respondent
        text = turn.text
        if r.state == "region" and turn.sms and text and not looks_like_feedback(text):
            turn.say(p.SMS_REGION_UNKNOWN)
            return
        if not text:
            turn.say(p.EMPTY)
            self._repeat(turn)
            return
        if not has_words(text):
            turn.say(p.NOT_WORDS if r.state in FREE_TEXT_STATES else p.PICK_ONE)
            self._repeat(turn)
            return
        if r.state in FREE_TEXT_STATES or looks_like_feedback(text):
            recorded = await record_feedback(
                self._services, r, text, turn.now, turn.writes, turn.session
            )
            message = p.THANKS_TRUNCATED if recorded.truncated else p.THANKS
            turn.say(message, code=recorded.display_code, limit=f"{20_000:,}")
            if r.state not in FREE_TEXT_STATES:
                self._repeat(turn)
            elif recorded.goals and not turn.sms:
                # Optional: the person says what it is about; their choice outranks the tagger.
                feedback_id = await turn.writes.id_of(turn.session, recorded.ref_code)
                choices = p.topic_choices(turn.lang, feedback_id, recorded.goals)
                turn.ask("topic", p.TOPIC_ASK, choices)
            else:
                self._show_menu(turn, prompt=False)
            return
        turn.say(p.SMS_REGION_UNKNOWN if r.state == "region" and turn.sms else p.PICK_ONE)
        if not (r.state == "region" and turn.sms):
            self._repeat(turn)

    def _repeat(self, turn: Turn) -> None:
        """Show the pending question again, so nobody is left without a way forward."""
        r = turn.respondent
        raw = turn.data.get("choices")
        if r.state in PROFILE_ORDER:
            self._ask_profile(turn, r.state)
        elif r.state == "forget":
            turn.ask("forget", p.FORGET_CONFIRM, p.forget_choices(turn.lang, sms=turn.sms))
        elif r.state == "settings":
            turn.ask("settings", p.SETTINGS, p.settings_choices(turn.lang))
        elif r.state == "poll" and isinstance(raw, list) and raw and turn.replies:
            choices = tuple(Choice(str(c[0]), str(c[1])) for c in raw)
            question = turn.data.get("question")
            turn.replies.append(Reply(str(question or ""), choices, turn.lang))
        elif not turn.sms and r.state in FREE_TEXT_STATES and turn.replies:
            self._show_menu(turn, prompt=False)

    async def _next_poll(self, turn: Turn) -> None:
        polls = await open_polls_for(turn.session, turn.respondent, turn.now)
        if not polls:
            turn.say(p.NO_POLLS)
            self._show_menu(turn, prompt=False)
            return
        poll = polls[0]
        labels = poll.labels_in(turn.lang)
        choices = tuple(Choice(f"poll:{poll.id}:{i}", label) for i, label in enumerate(labels))
        question = poll.question_in(turn.lang)
        turn.respondent.state = "poll"
        turn.data["choices"] = [[c.payload, c.label] for c in choices]
        turn.data["question"] = question
        turn.replies.append(Reply(question, choices, turn.lang))

    async def _answer_poll(self, turn: Turn, value: str) -> None:
        poll_id, _, position = value.partition(":")
        if not (poll_id.isdigit() and position.isdigit()):
            self._show_menu(turn)
            return
        poll = await load_view(turn.session, int(poll_id))
        if poll is None:
            self._show_menu(turn)
            return
        outcome = await record_answer(turn.session, poll, turn.respondent, int(position), turn.now)
        turn.data.pop("question", None)
        refusal = {"closed": p.POLL_CLOSED, "outside": p.POLL_OUTSIDE, "invalid": p.PICK_ONE}
        if outcome in refusal:
            turn.say(refusal[outcome])
            self._show_menu(turn, prompt=False)
            return
        turn.say(p.POLL_THANKS)
        await turn.session.flush()
        remaining = await open_polls_for(turn.session, turn.respondent, turn.now)
        if remaining and not turn.sms:
            await self._next_poll(turn)
        else:
            self._show_menu(turn, prompt=False)

    async def _results(self, turn: Turn) -> None:
        shown = await latest_shared_results(turn.session, self._services.k)
        if not shown:
            turn.say(p.NO_RESULTS)
            self._show_menu(turn, prompt=False)
            return
        for result in shown:
            turn.replies.append(Reply(render_results(result, turn.lang), (), turn.lang))
        self._show_menu(turn, prompt=False)


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


def inbound_language(turn: Turn, services: Services) -> str | None:
    """The channel's hint if it is a language fikir speaks, else what the text is written in."""
    hint = turn.inbound.language_hint
    if hint:
        hint = hint.split("-")[0].lower()
        if is_supported(hint):
            return hint
    if turn.text and has_words(turn.text):
        return services.detect(turn.text) or keyword_language(turn.text)
    return None


def _valid_payload(payload: str | None) -> str | None:
    """Button payloads come from our own keyboards, but a forged one must be harmless."""
    if not payload or len(payload.encode()) > 64 or not payload.isascii():
        return None
    kind = payload.partition(":")[0]
    if kind not in {
        "lang",
        "consent",
        "region",
        "age",
        "gender",
        "menu",
        "settings",
        "forget",
        "poll",
        "topic",
    }:
        return None
    return payload
