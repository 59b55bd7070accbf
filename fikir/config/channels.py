"""The channels fikir speaks through, described by what they can do, not by their names.

The dialog asks a channel's capabilities ("can it show buttons?", "does every message cost?"),
never "is it SMS?", so a new channel is one entry here and one adapter.

Messages sent through `fikir chat` (console) and the web simulator are kept like anyone's, so
that staff see the whole flow, but no dashboard, digest or public page counts them as what
people said: those channels are `test_only`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    """One channel and its capabilities."""

    name: str
    # Addresses of one family reach the same person (Twilio and the Android gateway reach the
    # same phone), so they share one pseudonym and one conversation.
    family: str
    # Choices can be buttons; otherwise they are shown as numbered lines.
    buttons: bool
    # Every message costs (SMS segments): replies are short, optional questions are not asked,
    # and a long list (seventeen regions) is typed rather than numbered.
    paid: bool
    # fikir may write first (poll broadcasts, results, updates).
    proactive: bool
    # Staff trying flows: stored, never counted.
    test_only: bool = False


CHANNELS: dict[str, Channel] = {
    channel.name: channel
    for channel in (
        Channel("telegram", "telegram", buttons=True, paid=False, proactive=True),
        Channel("sms", "sms", buttons=False, paid=True, proactive=True),
        Channel("sms-twilio", "sms", buttons=False, paid=True, proactive=True),
        Channel("sms-gateway", "sms", buttons=False, paid=True, proactive=True),
        Channel("console", "console", buttons=False, paid=False, proactive=False, test_only=True),
        Channel(
            "simulator", "simulator", buttons=True, paid=False, proactive=False, test_only=True
        ),
        Channel(
            "simulator-sms",
            "simulator-sms",
            buttons=False,
            paid=True,
            proactive=False,
            test_only=True,
        ),
    )
}

TEST_CHANNELS = tuple(name for name, channel in CHANNELS.items() if channel.test_only)


def channel_of(name: str) -> Channel:
    """The channel called `name`; an unknown SMS provider's name ("sms-…") is SMS."""
    found = CHANNELS.get(name)
    if found is not None:
        return found
    if name.startswith("sms"):
        return CHANNELS["sms"]
    return Channel(name, name, buttons=False, paid=False, proactive=False)
