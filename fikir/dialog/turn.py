"""One inbound message being handled: who wrote it, what they wrote, and what to say back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.languages import DEFAULT_LANGUAGE, is_supported
from fikir.dialog import prompts as p
from fikir.dialog.feedback import FeedbackWrites
from fikir.dialog.messages import Choice, Inbound, Reply, is_sms
from fikir.privacy.erasure import erase_respondent
from fikir.storage.models import Respondent


@dataclass
class Turn:
    """One inbound message being handled: the respondent row and what to say back."""

    session: AsyncSession
    respondent: Respondent
    inbound: Inbound
    text: str
    now: datetime
    writes: FeedbackWrites
    replies: list[Reply] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        hint = (self.inbound.language_hint or "").split("-")[0].lower()
        return self.respondent.language or (hint if is_supported(hint) else DEFAULT_LANGUAGE)

    @property
    def sms(self) -> bool:
        return is_sms(self.inbound.channel)

    def say(self, message: str, choices: tuple[Choice, ...] = (), **params: object) -> None:
        if self.sms and message in p.SMS_VARIANTS:
            short = p.SMS_VARIANTS[message]
            if short is None:
                return  # not worth a paid SMS
            message = short
        self.replies.append(Reply(p.t(self.lang, message, **params), choices, self.lang))

    async def erase(self) -> None:
        """Forget the respondent, including what they wrote earlier in this same transaction.

        The state "erased" tells the engine not to write the deleted row back.
        """
        await self.writes.flush(self.session)
        await erase_respondent(self.session, self.respondent)
        self.respondent.state = "erased"

    def ask(self, state: str, message: str, choices: tuple[Choice, ...], **params: object) -> None:
        """Send a question and remember its choices, so that a typed number or word answers it."""
        self.respondent.state = state
        self.data["choices"] = [[c.payload, c.label] for c in choices]
        self.data.pop("also", None)
        self.say(message, choices, **params)
