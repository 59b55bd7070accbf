"""Home's first-run checklist: what a new office still has to set up before fikir is useful."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.markers import N_
from fikir.config.settings import Settings
from fikir.storage.models import Poll, StaffUser


@dataclass(frozen=True)
class Step:
    """One thing to set up: its words, whether it is done, and where to do it."""

    key: str
    label: str
    done: bool
    how: str
    link: str


async def checklist(session: AsyncSession, settings: Settings) -> list[Step]:
    """Channels on, a second staff member, someone to receive the digest, a first poll."""
    staff = (
        await session.exec(select(func.count()).select_from(StaffUser).where(col(StaffUser.active)))
    ).one()
    linked = (
        await session.exec(
            select(func.count())
            .select_from(StaffUser)
            .where(col(StaffUser.active), col(StaffUser.telegram_pseudonym).is_not(None))
        )
    ).one()
    polls = (await session.exec(select(func.count()).select_from(Poll))).one()
    channels = (
        settings.telegram_enabled
        or settings.twilio_enabled
        or settings.smsgate_enabled
        or settings.whatsapp_enabled
    )
    mail = bool(settings.digest_email_list and settings.smtp_url)
    return [
        Step(
            "channels",
            N_("Turn on a channel people can write to (Telegram, SMS or WhatsApp)"),
            bool(channels),
            N_("Set FIKIR_TELEGRAM_TOKEN, the Twilio settings or the SMS gateway's settings."),
            "/admin/settings",
        ),
        Step(
            "staff",
            N_("Add the colleagues who will read messages"),
            int(staff) > 1,
            N_("Add them on the Staff page; each gets a one-time code."),
            "/admin/users",
        ),
        Step(
            "digest",
            N_("Choose who receives the monthly digest"),
            int(linked) > 0 or mail,
            N_(
                "Staff link their Telegram chat with /staff, or set FIKIR_DIGEST_EMAILS and FIKIR_SMTP_URL."
            ),
            "/admin/digests",
        ),
        Step(
            "poll",
            N_("Create a first poll"),
            int(polls) > 0,
            N_("The Polls page creates one; it is sent only when you open it."),
            "/admin/polls",
        ),
    ]
