"""Calendar months in the deployment's time zone, the unit every dashboard figure is counted in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True, order=True)
class Month:
    """A month such as 2026-10; `bounds` gives its start and end as aware UTC datetimes."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> Month | None:
        found = _MONTH.fullmatch((text or "").strip())
        if not found:
            return None
        year = int(found.group(1))
        if not 2000 <= year <= 2200:
            return None
        return cls(year, int(found.group(2)))

    @classmethod
    def of(cls, moment: datetime, tz: str) -> Month:
        local = moment.astimezone(ZoneInfo(tz))
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        zone = ZoneInfo(tz)
        start = datetime(self.year, self.month, 1, tzinfo=zone)
        following = self.next()
        end = datetime(following.year, following.month, 1, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def recent(now: datetime, tz: str, count: int) -> list[Month]:
    """This month and the ones before it, newest first."""
    months = [Month.of(now, tz)]
    while len(months) < count:
        months.append(months[-1].previous())
    return months
