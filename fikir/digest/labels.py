"""Words and numbers of the digest in the reader's language (en, az or ru), via gettext and CLDR."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from fikir.config.channels import CHANNELS, label_of
from fikir.config.markers import N_
from fikir.config.regions import AGE_BAND_LABELS, GENDER_LABELS, REGION_LABELS
from fikir.config.sdgs import goal_name
from fikir.i18n import translate

CHANNEL_LABELS: dict[str, str] = {name: channel.label for name, channel in CHANNELS.items()}
LANGUAGE_NAMES: dict[str, str] = {
    "az": N_("Azerbaijani"),
    "ru": N_("Russian"),
    "en": N_("English"),
    "tly": N_("Talysh"),
    "lez": N_("Lezgian"),
    "ka": N_("Georgian"),
    "uk": N_("Ukrainian"),
    "jdt": N_("Juhuri"),
    "unknown": N_("Language not recognised"),
}
DIMENSION_TITLES: dict[str, str] = {
    "channel": N_("By channel"),
    "language": N_("By language"),
    "region": N_("By region"),
    "age_band": N_("By age"),
    "gender": N_("By gender"),
}
OTHER_GROUPS = N_("Smaller groups together")
_BABEL_LOCALES = {"en": "en_GB", "az": "az", "ru": "ru"}


class Words:
    """Everything language-dependent one rendering needs, bound to one language."""

    def __init__(self, lang: str, tz: str) -> None:
        self.lang = lang if lang in _BABEL_LOCALES else "en"
        self.locale = _BABEL_LOCALES[self.lang]
        self.tz = tz

    def __call__(self, message: str, /, **params: object) -> str:
        """gettext with `{placeholder}` parameters, the catalogues' convention."""
        return translate(self.lang, message, **params)

    def goal(self, number: int) -> str:
        return goal_name(number, self.lang)

    def sdg(self, number: int) -> str:
        return self(N_("SDG {goal}"), goal=number)

    def value(self, dimension: str, key: str) -> str:
        """The reader's word for a stored code (a region, an age band, a language …)."""
        table = {
            "channel": CHANNEL_LABELS,
            "language": LANGUAGE_NAMES,
            "region": REGION_LABELS,
            "age_band": AGE_BAND_LABELS,
            "gender": GENDER_LABELS,
        }.get(dimension, {})
        msgid = label_of(key) if dimension == "channel" else table.get(key)
        return self(msgid) if msgid else key

    def language(self, code: str | None) -> str:
        return self.value("language", code or "unknown")

    def month(self, month: str) -> str:
        """`2026-10` as "October 2026" / "oktyabr 2026" / "Октябрь 2026"."""
        year, number = (int(part) for part in month.split("-"))
        text = format_date(date(year, number, 1), "LLLL y", locale=self.locale)
        return text[:1].upper() + text[1:]

    def short_month(self, month: str) -> str:
        year, number = (int(part) for part in month.split("-"))
        text = format_date(date(year, number, 1), "LLL yy", locale=self.locale)
        return text[:1].upper() + text[1:]

    def moment(self, when: datetime) -> str:
        return format_datetime(
            when.astimezone(ZoneInfo(self.tz)), "d MMMM y, HH:mm", locale=self.locale
        )

    def day(self, when: datetime) -> str:
        return format_date(
            when.astimezone(ZoneInfo(self.tz)).date(), "d MMMM y", locale=self.locale
        )

    def number(self, value: int | None) -> str:
        return "—" if value is None else format_decimal(value, locale=self.locale)

    def percent(self, share: float | None) -> str:
        if share is None:
            return "—"
        pattern = "#,##0%" if share >= 0.095 or share == 0 else "#,##0.0%"
        return format_percent(share, pattern, locale=self.locale)

    def decimal(self, value: float | None) -> str:
        """A rate or ratio with up to two decimals ("3.14", "0.5"), "—" when not shown."""
        return "—" if value is None else format_decimal(value, "#,##0.##", locale=self.locale)

    def points(self, change: float | None) -> str:
        """A change of share in percentage points, signed: "+4 pts", "−1.5 pts"."""
        if change is None:
            return "—"
        points = round(change * 100, 1)
        if points == 0:
            return self(N_("no change"))
        sign = "+" if points > 0 else "−"
        figure = format_decimal(abs(points), "#,##0.#", locale=self.locale)
        return self(N_("{points} pts"), points=f"{sign}{figure}")

    def relative(self, now: int | None, before: int | None) -> str | None:
        """ "+12%" against the previous month, or None when either month is hidden."""
        if now is None or not before:
            return None
        change = (now - before) / before
        sign = "+" if change >= 0 else "−"
        return sign + format_percent(abs(change), "#,##0%", locale=self.locale)
