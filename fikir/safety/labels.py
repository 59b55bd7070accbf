"""What staff read for each safety category, as msgids translated on the dashboard and in alerts."""

from __future__ import annotations

from fikir.config.markers import N_
from fikir.i18n import translate

CATEGORY_LABELS: dict[str, str] = {
    "violence": N_("Violence"),
    "child_abuse": N_("Abuse of a child"),
    "self_harm": N_("Self-harm or suicide"),
    "threat": N_("Threat"),
    "reprisal": N_("Reprisal for taking part"),
}


def category_label(category: str, lang: str) -> str:
    msgid = CATEGORY_LABELS.get(category)
    return translate(lang, msgid) if msgid else category


def categories_text(categories: tuple[str, ...] | list[str], lang: str) -> str:
    return ", ".join(category_label(category, lang) for category in categories)
