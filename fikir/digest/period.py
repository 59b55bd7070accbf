"""Calendar months in the deployment's time zone, the unit a digest is counted in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


class MonthError(ValueError):
    """A month was not given as YYYY-MM."""


@dataclass(frozen=True, order=True)
class Month:
    """A month such as 2026-10; `bounds` gives its start and end as aware UTC datetimes."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        found = _MONTH.fullmatch(text.strip())
        if not found or not 2000 <= int(found.group(1)) <= 2200:
            raise MonthError(f"a month is written YYYY-MM, e.g. 2026-10 (got {text!r})")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def parse_or_none(cls, text: str | None) -> Month | None:
        """The month in a form field or query string, or None when it is not YYYY-MM."""
        try:
            return cls.parse(text or "")
        except MonthError:
            return None

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

    def start(self, tz: str) -> datetime:
        """Midnight of the 1st in the deployment's time zone, as UTC."""
        return datetime(self.year, self.month, 1, tzinfo=ZoneInfo(tz)).astimezone(UTC)

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        return self.start(tz), self.next().start(tz)

    def back(self, count: int) -> tuple[Month, ...]:
        """The `count` months ending with this one, oldest first."""
        months = [self]
        while len(months) < count:
            months.append(months[-1].previous())
        return tuple(reversed(months))


def last_complete_month(now: datetime, tz: str) -> Month:
    """The month a digest sent at `now` reports on: the one before the current local month."""
    return Month.of(now, tz).previous()
