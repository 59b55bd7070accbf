"""Telling the duty officers at once of a reprisal report: by Telegram and e-mail, through the
outbox, in the message's own transaction. An alert names the categories and links to the queue
item; it never carries the message's text, its writer's address or their pseudonym."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from fikir.config.channels import TELEGRAM
from fikir.config.languages import STAFF_LANGUAGES
from fikir.config.markers import N_
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import Queued, enqueue_many
from fikir.privacy.vault import Vault
from fikir.safety.labels import categories_text
from fikir.storage.models import StaffUser

DUTY_KIND = "duty"
EMAIL_CHANNEL = "email"
STAFF_CHANNEL = TELEGRAM.name
# The categories that call a duty officer at once; the rest wait in the queue.
ALERTED = frozenset({"reprisal"})

DUTY_SUBJECT = N_("fikir: a reprisal report is waiting in the safety queue")
DUTY_ALERT = N_(
    "A message reporting reprisal for taking part in fikir has arrived ({categories}). "
    "Please open it in the safety queue: {link}\n"
    "Its text and its writer's contact details are not included here."
)


def alerted(categories: tuple[str, ...]) -> bool:
    return bool(ALERTED & set(categories))


def case_link(dashboard_url: str, case_id: int) -> str:
    return f"{dashboard_url.rstrip('/')}/admin/safety/{case_id}"


def email_pseudonym(address: str) -> str:
    """The outbox row's recipient key for an e-mail address (the address itself is sealed)."""
    return "email:" + hashlib.sha256(address.strip().lower().encode()).hexdigest()[:40]


def alert_text(lang: str, categories: tuple[str, ...], link: str) -> str:
    return translate(lang, DUTY_ALERT, categories=categories_text(categories, lang), link=link)


async def notify_duty(
    session: AsyncSession,
    vault: Vault,
    emails: tuple[str, ...],
    dashboard_url: str,
    case_id: int,
    categories: tuple[str, ...],
    now: datetime,
) -> int:
    """Queue one alert per duty officer's linked chat and per duty address; returns how many."""
    link = case_link(dashboard_url, case_id)
    staff = (
        await session.exec(
            select(StaffUser).where(
                col(StaffUser.active).is_(True),
                col(StaffUser.duty).is_(True),
                col(StaffUser.telegram_pseudonym).is_not(None),
            )
        )
    ).all()
    queued = [
        Queued(
            str(user.telegram_pseudonym),
            STAFF_CHANNEL,
            DUTY_KIND,
            OutboundMessage(
                alert_text(_lang(user.language), categories, link), language=user.language
            ),
            f"duty:{case_id}:staff:{user.id}",
        )
        for user in staff
    ]
    by_name = {u.name.lower(): u.language for u in (await session.exec(select(StaffUser))).all()}
    for address in dict.fromkeys(e.strip() for e in emails if e.strip()):
        lang = _lang(by_name.get(address.lower(), "en"))
        # An e-mail's first line is its subject (fikir.safety.mail).
        text = translate(lang, DUTY_SUBJECT) + "\n" + alert_text(lang, categories, link)
        pseudonym = email_pseudonym(address)
        queued.append(
            Queued(
                pseudonym,
                EMAIL_CHANNEL,
                DUTY_KIND,
                OutboundMessage(text, language=lang),
                f"duty:{case_id}:{pseudonym}"[:128],
                address_enc=vault.seal(address),
            )
        )
    return len(await enqueue_many(session, queued, now)) if queued else 0


def _lang(code: str) -> str:
    return code if code in STAFF_LANGUAGES else "en"
