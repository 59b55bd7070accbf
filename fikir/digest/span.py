"""The days a digest really covers: a month built before it ended covers only its days so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from fikir.config.markers import N_
from fikir.digest.period import Month
from fikir.i18n import translate

SO_FAR = N_("{dates} so far")


@dataclass(frozen=True)
class Span:
    """First and last local day counted, and whether the month was still running when built."""

    first: date
    last: date
    so_far: bool


def span_of(month: Month, tz: str, built_at: datetime) -> Span:
    """The month's whole days, or its 1st to the day of `built_at` when built before its end."""
    start, end = month.bounds(tz)
    zone = ZoneInfo(tz)
    first = start.astimezone(zone).date()
    if built_at >= end:
        return Span(first, (end - timedelta(seconds=1)).astimezone(zone).date(), so_far=False)
    last = max(first, built_at.astimezone(zone).date())
    return Span(first, last, so_far=True)


def span_label(found: Span, lang: str, locale: str) -> str:
    """ "1–31 December 2026", or "1–7 December 2026 so far" while the month is running."""
    last: str = format_date(found.last, "d MMMM y", locale=locale)
    # A span never leaves its month, so the first day is only its number: "1–7 December 2026".
    dates = last if found.first == found.last else f"{found.first.day}–{last}"
    return translate(lang, SO_FAR, dates=dates) if found.so_far else dates
