"""One inbound message being handled: who wrote it, what they wrote, and what to say back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import Channel, channel_of
from fikir.config.languages import DEFAULT_LANGUAGE, is_supported
from fikir.dialog import prompts as p
from fikir.dialog.feedback import FeedbackWrites
from fikir.dialog.messages import Choice, Inbound, Outcome, Reply
from fikir.dialog.services import Services
from fikir.dialog.state import State, Waiting, carry_over, parse_state
from fikir.privacy.erasure import erase_respondent
from fikir.storage.models import Respondent


@dataclass
class Turn:
    """One inbound message being handled: the respondent, their conversation, the replies."""

    session: AsyncSession
    respondent: Respondent
    inbound: Inbound
    text: str
    now: datetime
    writes: FeedbackWrites
    services: Services
    record: Waiting = field(default_factory=Waiting)
    replies: list[Reply] = field(default_factory=list)
    outcome: Outcome = Outcome.REPLIED

    @property
    def lang(self) -> str:
        hint = (self.inbound.language_hint or "").split("-")[0].lower()
        return self.respondent.language or (hint if is_supported(hint) else DEFAULT_LANGUAGE)

    @property
    def channel(self) -> Channel:
        return channel_of(self.inbound.channel)

    @property
    def paid(self) -> bool:
        """Every message costs on this channel: say less, ask nothing optional."""
        return self.channel.paid

    @property
    def state(self) -> State:
        return parse_state(self.respondent.state)

    def say(self, message: str, choices: tuple[Choice, ...] = (), **params: object) -> None:
        """Reply with `message` in the respondent's language; `{organisation}` is always known."""
        if self.paid and message in p.SMS_VARIANTS:
            short = p.SMS_VARIANTS[message]
            if short is None:
                return  # not worth a paid message
            message = short
        params.setdefault("organisation", self.services.organisation_in(self.lang))
        self.replies.append(Reply(p.t(self.lang, message, **params), choices, self.lang))

    def add_to_last(self, text: str) -> None:
        """Append a paragraph to the last reply, so that it arrives as one message."""
        last = self.replies[-1]
        self.replies[-1] = Reply(f"{last.text}\n\n{text}", last.choices, last.language)

    def move(self, state: State, **values: object) -> None:
        """Go to `state`, keeping what its record shares with the current one."""
        self.respondent.state = state
        self.record = carry_over(self.record, state, **values)

    def ask(
        self, state: State, message: str, choices: tuple[Choice, ...], **params: object
    ) -> None:
        """Send a question and remember its choices, so that a typed number or word answers it."""
        self.move(state, choices=choices, also=())
        self.say(message, choices, **params)

    async def erase(self) -> None:
        """Forget the respondent, including what they wrote earlier in this same transaction.

        The state "erased" tells the engine not to write the deleted row back.
        """
        await self.writes.flush(self.session)
        await erase_respondent(self.session, self.respondent)
        self.respondent.state = State.ERASED
        self.outcome = Outcome.ERASED
