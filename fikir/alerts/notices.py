"""What an alert says and how it leaves: counts, goal, region and a link to the filtered inbox,
in the staff member's dashboard language, through the outbox to their own Telegram chat and
e-mail (the senders of fikir.safety's duty alerts). Never a message's text, never anything about
its writers, and fewer than k people is said as "fewer than k"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fikir.alerts.matching import Tally
from fikir.alerts.rise import Rise
from fikir.config.languages import STAFF_LANGUAGES
from fikir.config.markers import N_
from fikir.config.regions import REGION_LABELS
from fikir.config.sdgs import goal_name
from fikir.i18n import translate
from fikir.outbox.message import OutboundMessage
from fikir.outbox.queue import Queued
from fikir.privacy.vault import Vault
from fikir.safety.duty import EMAIL_CHANNEL, STAFF_CHANNEL, email_pseudonym
from fikir.storage.models import StaffUser

ALERT_KIND = "alert"

TOPIC_BOTH = N_("SDG {goal} ({name}) in {region}")
TOPIC_GOAL = N_("SDG {goal} ({name}), every region")
TOPIC_REGION = N_("every goal in {region}")
NEW_SUBJECT = N_("fikir: new messages on {topic}")
NEW_COUNTS = N_("Since {since}: {messages} new messages from {people} people.")
NEW_FEWER = N_("Since {since}: new messages from fewer than {k} people (no figures are shown).")
INBOX_LINK = N_("Open them in the inbox: {link}")
NOT_COUNTED = N_(
    "Test messages and messages with a safety concern (they are in the safety queue) are not "
    "counted. No message text and nothing about the writers is included."
)
RISE_SUBJECT = N_("fikir: SDG {goal} ({name}) is rising sharply in {region}")
RISE_BODY_FEW = N_(
    "In the last 7 days {people} people wrote about SDG {goal} ({name}) in {region}; over the "
    "{weeks} weeks before, fewer than {k} people in all did."
)
RISE_BODY = N_(
    "In the last 7 days {people} people wrote about SDG {goal} ({name}) in {region}; over the "
    "{weeks} weeks before, about {usual} people a week did."
)


@dataclass(frozen=True)
class Recipient:
    """Where one staff member's notices go: their linked Telegram chat and/or an address."""

    user: StaffUser
    telegram: bool
    email: str | None

    @property
    def lang(self) -> str:
        return self.user.language if self.user.language in STAFF_LANGUAGES else "en"


def region_name(code: str, lang: str) -> str:
    return translate(lang, REGION_LABELS[code]) if code in REGION_LABELS else code


def topic(goal: int | None, region: str | None, lang: str) -> str:
    if goal is not None and region is not None:
        return translate(
            lang,
            TOPIC_BOTH,
            goal=goal,
            name=goal_name(goal, lang),
            region=region_name(region, lang),
        )
    if goal is not None:
        return translate(lang, TOPIC_GOAL, goal=goal, name=goal_name(goal, lang))
    return translate(lang, TOPIC_REGION, region=region_name(region or "", lang))


def inbox_link(dashboard_url: str, goal: int | None, region: str | None) -> str:
    query = urlencode({k: v for k, v in (("goal", goal), ("region", region)) if v is not None})
    return f"{dashboard_url.rstrip('/')}/admin/inbox" + (f"?{query}" if query else "")


def new_messages_text(
    lang: str,
    goal: int | None,
    region: str | None,
    found: Tally,
    since: datetime,
    tz: str,
    k: int,
    dashboard_url: str,
) -> str:
    """Subject line, then the counts (or "fewer than k"), the inbox link and what is left out."""
    when = since.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    if found.people is None:
        counts = translate(lang, NEW_FEWER, since=when, k=k)
    else:
        counts = translate(
            lang, NEW_COUNTS, since=when, messages=found.messages, people=found.people
        )
    return "\n".join(
        (
            translate(lang, NEW_SUBJECT, topic=topic(goal, region, lang)),
            counts,
            translate(lang, INBOX_LINK, link=inbox_link(dashboard_url, goal, region)),
            translate(lang, NOT_COUNTED),
        )
    )


def rise_text(lang: str, rise: Rise, k: int, dashboard_url: str) -> str:
    """Subject line, the week against the usual level (not given when fewer than k people
    made it), the inbox link and what is left out."""
    name, region = goal_name(rise.goal, lang), region_name(rise.region, lang)
    values = {"people": rise.people, "goal": rise.goal, "name": name, "region": region}
    if rise.baseline_people < k:
        body = translate(lang, RISE_BODY_FEW, weeks=rise.weeks, k=k, **values)
    else:
        body = translate(lang, RISE_BODY, weeks=rise.weeks, usual=f"{rise.usual:.1f}", **values)
    return "\n".join(
        (
            translate(lang, RISE_SUBJECT, goal=rise.goal, name=name, region=region),
            body,
            translate(lang, INBOX_LINK, link=inbox_link(dashboard_url, rise.goal, rise.region)),
            translate(lang, NOT_COUNTED),
        )
    )


def notice(to: Recipient, text: str, key: str, vault: Vault) -> list[Queued]:
    """One outbox row per way of reaching `to`; an e-mail's first line is its subject
    (fikir.safety.mail), a Telegram message reads the same lines."""
    out = []
    message = OutboundMessage(text, language=to.lang)
    if to.telegram and to.user.telegram_pseudonym:
        pseudonym = to.user.telegram_pseudonym
        out.append(Queued(pseudonym, STAFF_CHANNEL, ALERT_KIND, message, f"{key}:tg"[:128]))
    if to.email:
        pseudonym = email_pseudonym(to.email)
        out.append(
            Queued(
                pseudonym,
                EMAIL_CHANNEL,
                ALERT_KIND,
                message,
                f"{key}:{pseudonym}"[:128],
                address_enc=vault.seal(to.email),
            )
        )
    return out
