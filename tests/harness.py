"""A conversation with the engine, keeping a transcript; like zulip_bots' test stand-in."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from fikir.config.organisation import DEFAULT_NAMES
from fikir.dialog.engine import DialogEngine
from fikir.dialog.messages import Choice, Inbound, Reply
from fikir.i18n import translate

_ids = itertools.count(1)


@dataclass
class Conversation:
    """One person on one channel; `send` and `press` return the engine's replies."""

    engine: DialogEngine
    channel: str = "console"
    address: str = "+994501234567"
    language_hint: str | None = None
    transcript: list[tuple[str, str]] = field(default_factory=list)
    last: list[Reply] = field(default_factory=list)

    async def send(self, text: str | None, **kwargs: object) -> list[Reply]:
        inbound = Inbound(
            channel=self.channel,
            address=self.address,
            text=text,
            external_id=f"test-{next(_ids)}",
            language_hint=self.language_hint,
            **kwargs,  # type: ignore[arg-type]
        )
        self.transcript.append(("in", text or ""))
        self.last = list((await self.engine.handle(inbound)).replies)
        for reply in self.last:
            self.transcript.append(("out", reply.text))
        return self.last

    async def press(self, payload: str) -> list[Reply]:
        inbound = Inbound(
            channel=self.channel,
            address=self.address,
            payload=payload,
            external_id=f"test-{next(_ids)}",
        )
        self.transcript.append(("press", payload))
        self.last = list((await self.engine.handle(inbound)).replies)
        for reply in self.last:
            self.transcript.append(("out", reply.text))
        return self.last

    def choices(self) -> tuple[Choice, ...]:
        """The choices of the last reply that offered any."""
        for reply in reversed(self.last):
            if reply.choices:
                return reply.choices
        return ()

    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last)

    def said(self, lang: str, msgid: str, **params: object) -> bool:
        """True when the last replies contain `msgid` translated into `lang` (SMS: its short form)."""
        from fikir.config.channels import channel_of
        from fikir.dialog.prompts import SMS_VARIANTS

        if channel_of(self.channel).paid and SMS_VARIANTS.get(msgid):
            msgid = SMS_VARIANTS[msgid] or msgid
        head = spoken(lang, msgid, **params).split("{")[0][:40]
        return any(head in reply.text for reply in self.last)


class _KeepMissing(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def spoken(lang: str, msgid: str, /, **params: object) -> str:
    """`msgid` in `lang` as the engine says it: the default organisation named, `params` filled,
    any other placeholder left as it is."""
    text = translate(lang, msgid)
    return text.format_map(_KeepMissing(organisation=DEFAULT_NAMES[lang], **params))


def unique_reply(replies: list[Reply]) -> Reply:
    """The single reply; fails on zero or several."""
    assert len(replies) == 1, f"expected one reply, got {len(replies)}: {replies}"
    return replies[0]
