"""Sending an already built digest to one member of staff who asks for it ("send to me").

It goes through the same delivery code as the monthly run (claim, then outbox or SMTP), under a
key of its own per build, so asking twice for the same build sends once and the monthly
delivery to the same person is not taken for done.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from fikir.config.channels import TELEGRAM
from fikir.config.markers import N_
from fikir.digest.charts import chart_files
from fikir.digest.delivery import Recipient, digest_dir, queue_telegram, send_email_to
from fikir.digest.labels import Words
from fikir.digest.mail import SmtpServer, SmtpUrlError
from fikir.digest.render import Rendered
from fikir.storage.models import StaffUser

if TYPE_CHECKING:
    from fikir.runtime import Runtime

EMAIL = "email"
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def own_address(user: StaffUser) -> str | None:
    """A staff member's e-mail address: their sign-in name when it is one (as in
    FIKIR_DIGEST_EMAILS, where an address that is a staff name gets that person's language)."""
    return user.name if _ADDRESS.fullmatch(user.name) else None


def rendered_for(runtime: Runtime, month: str, lang: str) -> Rendered | None:
    """The month's files on disk in `lang`, else English, else any language that was rendered."""
    folder = digest_dir(runtime.settings, month)
    found = sorted(folder.glob(f"fikir-digest-{month}-*.pdf")) if folder.is_dir() else []
    by_lang = {path.stem.rsplit("-", 1)[1]: path for path in found}
    chosen = lang if lang in by_lang else "en" if "en" in by_lang else next(iter(by_lang), None)
    if chosen is None:
        return None
    words = Words(chosen, runtime.settings.timezone)
    summary = "\n".join(
        (
            words(N_("fikir digest for {month}"), month=words.month(month)),
            words(N_("The full digest is attached as a PDF.")),
        )
    )
    pdf = by_lang[chosen]
    return Rendered(
        chosen, pdf.with_suffix(".html"), pdf, summary, chart_files(folder / "charts", chosen)
    )


async def send_to_me(
    runtime: Runtime, user: StaffUser, month: str, channel: str, built_at: datetime, now: datetime
) -> str:
    """ "queued", "emailed", "skipped" (this build was already sent), "failed", "no-file"
    (nothing rendered yet) or "no-channel" (no linked Telegram chat, address or SMTP server)."""
    rendered = rendered_for(runtime, month, user.language)
    if rendered is None:
        return "no-file"
    key = f"self:{user.id}:{channel}:{built_at:%Y%m%dT%H%M%S}"
    if channel == TELEGRAM.name:
        if user.telegram_pseudonym is None:
            return "no-channel"
        person = Recipient(key, TELEGRAM.name, rendered.lang, pseudonym=user.telegram_pseudonym)
        queued = await queue_telegram(runtime, month, person, rendered, now)
        if queued:
            runtime.wake_outbox()
        return "queued" if queued else "skipped"
    address = own_address(user)
    if channel != EMAIL or address is None or not runtime.settings.smtp_url:
        return "no-channel"
    try:
        server = SmtpServer.from_url(runtime.settings.smtp_url)
    except SmtpUrlError:
        return "no-channel"
    person = Recipient(key, EMAIL, rendered.lang, address=address)
    return await send_email_to(runtime, server, month, person, rendered, now)
