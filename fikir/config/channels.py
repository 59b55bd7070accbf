"""The channels fikir speaks through, described by what they can do, not by their names.

This registry is the one place in fikir/ where a channel's name is spelled out (besides the
channel's own adapter; tests/test_channel_registry.py checks it). The dialog, polls, outbox,
digest, dashboard and metrics ask a channel's capabilities ("can it show buttons?", "does every
message cost?", "may fikir write first, and until when?"), never "is it SMS?", so a new channel
is one entry here and one adapter module.

Messages sent through `fikir chat` (console) and the web simulator are kept like anyone's, so
that staff see the whole flow, but no dashboard, digest or public page counts them as what
people said: those channels are `test_only`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from fikir.config.markers import N_


class AddressKind(StrEnum):
    """What an address on a channel is; it never leaves the vault and the adapter."""

    PHONE = "phone"  # E.164, "+994501234567"
    CHAT_ID = "chat_id"  # a messenger's numeric chat id
    WHATSAPP = "whatsapp"  # "whatsapp:+994…": a phone on another network, its own identity
    SESSION = "session"  # a random id for one conversation (console, simulator, a browser's visit)


@dataclass(frozen=True)
class Channel:
    """One channel and its capabilities."""

    name: str
    # Addresses of one family reach the same person (Twilio and the Android gateway reach the
    # same phone), so they share one pseudonym, one conversation and one outbox queue.
    family: str
    # The staff-facing name (a catalogue msgid, translated where it is shown).
    label: str
    address: AddressKind
    # The module that speaks the channel's protocol (the only other place its name appears).
    adapter: str
    # Choices can be buttons; otherwise they are shown as numbered lines.
    buttons: bool
    # Every message costs per segment (SMS): replies are short, optional questions are not
    # asked, a long list (seventeen regions) is typed rather than numbered, and a text is
    # counted in GSM-7 or UCS-2 parts as fikir.outbox.segments does for its language.
    paid: bool
    # fikir may write first (poll broadcasts, results, updates).
    proactive: bool
    # Proactive free text only this long after the person last wrote (WhatsApp: 24 hours);
    # outside it only an approved template may go. None: no such limit.
    window: timedelta | None = None
    # Staff trying flows: stored, never counted.
    test_only: bool = False
    # For a stand-in channel (the simulator): the family whose look it imitates.
    imitates: str | None = None


TELEGRAM = Channel(
    "telegram",
    "telegram",
    N_("Telegram"),
    AddressKind.CHAT_ID,
    "fikir.bot",
    buttons=True,
    paid=False,
    proactive=True,
)
SMS = Channel(
    "sms",
    "sms",
    N_("SMS"),
    AddressKind.PHONE,
    "fikir.sms",
    buttons=False,
    paid=True,
    proactive=True,
)
WHATSAPP = Channel(
    "whatsapp",
    "whatsapp",
    N_("WhatsApp"),
    AddressKind.WHATSAPP,
    "fikir.whatsapp",
    buttons=False,
    paid=False,
    proactive=True,
    window=timedelta(hours=24),
)
# The public web channel (/say): a browser cannot be written to first, and its address is a
# random id kept in a short-lived cookie, so each visit is its own pseudonym.
WEB = Channel(
    "web",
    "web",
    N_("Web (/say)"),
    AddressKind.SESSION,
    "fikir.web.say",
    buttons=True,
    paid=False,
    proactive=False,
)
CONSOLE = Channel(
    "console",
    "console",
    N_("Console (fikir chat)"),
    AddressKind.SESSION,
    "fikir.cli.console",
    buttons=False,
    paid=False,
    proactive=False,
    test_only=True,
)
SIMULATOR = Channel(
    "simulator",
    "simulator",
    N_("Simulator (Telegram style)"),
    AddressKind.SESSION,
    "fikir.web.simulator",
    buttons=True,
    paid=False,
    proactive=False,
    test_only=True,
    imitates=TELEGRAM.family,
)
SIMULATOR_SMS = Channel(
    "simulator-sms",
    "simulator-sms",
    N_("Simulator (SMS style)"),
    AddressKind.SESSION,
    "fikir.web.simulator",
    buttons=False,
    paid=True,
    proactive=False,
    test_only=True,
    imitates=SMS.family,
)


def _provider(channel: Channel, name: str) -> Channel:
    """The same channel through one provider: stored under its own name, one family."""
    return Channel(
        name,
        channel.family,
        channel.label,
        channel.address,
        channel.adapter,
        buttons=channel.buttons,
        paid=channel.paid,
        proactive=channel.proactive,
        window=channel.window,
    )


CHANNELS: dict[str, Channel] = {
    channel.name: channel
    for channel in (
        TELEGRAM,
        SMS,
        _provider(SMS, "sms-twilio"),
        _provider(SMS, "sms-gateway"),
        WHATSAPP,
        WEB,
        CONSOLE,
        SIMULATOR,
        SIMULATOR_SMS,
    )
}

TEST_CHANNELS = tuple(name for name, channel in CHANNELS.items() if channel.test_only)
# Each family once, in the registry's order (dashboard filters, metrics labels).
FAMILIES = tuple(dict.fromkeys(channel.family for channel in CHANNELS.values()))
# Families fikir writes to first (poll audiences, broadcasts, results).
PROACTIVE_FAMILIES = tuple(
    dict.fromkeys(c.family for c in CHANNELS.values() if c.proactive and not c.test_only)
)


def known(name: str) -> Channel | None:
    """The registered channel called `name`; a new provider of a family ("sms-…") is that family."""
    found = CHANNELS.get(name)
    if found is None:
        head, dash, _ = name.partition("-")
        family = CHANNELS.get(head) if dash else None
        if family is not None and family.name == family.family and not family.test_only:
            return family
    return found


def channel_of(name: str) -> Channel:
    """The channel called `name`; an unknown one can do nothing special and is its own family."""
    found = known(name)
    if found is not None:
        return found
    return Channel(
        name, name, name, AddressKind.SESSION, "", buttons=False, paid=False, proactive=False
    )


def members(family: str) -> tuple[str, ...]:
    """Every registered name stored for one family (SMS: sms, sms-twilio, sms-gateway)."""
    return tuple(name for name, channel in CHANNELS.items() if channel.family == family)


def label_of(name: str) -> str:
    """The msgid naming a channel or family to staff (translate it where it is shown)."""
    found = known(name)
    return found.label if found is not None else name
