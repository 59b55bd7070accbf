"""Calendar months for the dashboard: the digest's Month (one definition), and recent months."""

from __future__ import annotations

from datetime import datetime

from fikir.digest.period import Month

__all__ = ["Month", "recent"]


def recent(now: datetime, tz: str, count: int) -> list[Month]:
    """This month and the ones before it, newest first."""
    months = [Month.of(now, tz)]
    while len(months) < count:
        months.append(months[-1].previous())
    return months
