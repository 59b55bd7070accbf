"""Server-rendered pages: one Jinja2 environment, autoescaped, translated per request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from fikir.config.channels import CHANNELS
from fikir.config.languages import LANGUAGES
from fikir.config.markers import N_
from fikir.config.regions import AGE_BAND_LABELS, GENDER_LABELS, REGION_LABELS
from fikir.i18n.bidi import without_bidi_controls
from fikir.i18n.catalog import translations
from fikir.web.admin import goals
from fikir.web.admin.months import Month

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

NOT_GIVEN = N_("not given")
SOURCE_LABELS = {
    "auto": N_("tagger"),
    "staff": N_("staff"),
    "respondent": N_("respondent"),
    "none": N_("no tag"),
}
CHANNEL_LABELS = {name: channel.label for name, channel in CHANNELS.items()}
STATUS_LABELS = {
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "held": N_("held, not sent: cost grew or not confirmed"),
    "open": N_("open"),
    "closed": N_("closed"),
    "sent": N_("sent"),
}
DIMENSION_LABELS = {
    "channel": N_("by channel"),
    "language": N_("by language"),
    "region": N_("by region"),
    "age_band": N_("by age group"),
    "gender": N_("by gender"),
}
ROLE_LABELS = {"admin": N_("admin"), "analyst": N_("analyst"), "viewer": N_("viewer")}
_ENDONYMS = {language.code: language.endonym for language in LANGUAGES}
_BABEL_LOCALES = {language.code: language.babel_locale for language in LANGUAGES}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Built on first use, not at import; autoescape is on for every template."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "svg"], default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_neutral,
    )
    env.globals["endonym"] = lambda code: _ENDONYMS.get(code or "", code or "")
    env.globals["goal_colour"] = goals.colour
    env.globals["goal_text_colour"] = goals.text_colour
    env.filters["day"] = lambda moment: moment.strftime("%Y-%m-%d") if moment else ""
    env.filters["minute"] = lambda moment: moment.strftime("%Y-%m-%d %H:%M") if moment else ""
    return env


def _neutral(value: Any) -> Any:
    """Every value a template prints loses its bidirectional controls, stored long ago or not."""
    if isinstance(value, Markup):
        # Already escaped: removing characters cannot make it unsafe.
        return Markup(without_bidi_controls(value))  # noqa: S704
    if isinstance(value, str):
        return without_bidi_controls(value)
    return value


def translator(lang: str) -> dict[str, Callable[..., Any]]:
    """Context callables for one language: `_`, `gettext`, `ngettext` and label helpers.

    `_` returns the translation escaped, as Markup, so `_("… {x}", x=value)` or
    `_("… {x}").format(x=value)` escapes the value too; the `{name}` placeholders are the ones
    `fikir i18n check` verifies. Translations never carry markup.
    """
    catalogue = translations(lang)

    @pass_context
    def gettext(context: Context, message: str, **variables: object) -> Markup:
        text = escape(catalogue.gettext(message))
        return text.format(**variables) if variables else text

    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, n: int, **variables: object
    ) -> Markup:
        text = escape(catalogue.ngettext(singular, plural, n))
        return text.format(n=n, **variables)

    def label(table: dict[str, str]) -> Callable[[str | None], str]:
        def lookup(code: str | None) -> str:
            if not code:
                return catalogue.gettext(NOT_GIVEN)
            found = table.get(code)
            return catalogue.gettext(found) if found else code

        return lookup

    def language_label(code: str | None) -> str:
        return _ENDONYMS.get(code or "") or catalogue.gettext(NOT_GIVEN)

    labels: dict[str, Callable[[str | None], str]] = {
        "region": label(REGION_LABELS),
        "age_band": label(AGE_BAND_LABELS),
        "gender": label(GENDER_LABELS),
        "channel": label(CHANNEL_LABELS),
        "language": language_label,
    }

    def breakdown_label(dimension: str, code: str | None) -> str:
        return labels.get(dimension, label({}))(code)

    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "region_label": labels["region"],
        "age_label": labels["age_band"],
        "gender_label": labels["gender"],
        "breakdown_label": breakdown_label,
        "dimension_label": label(DIMENSION_LABELS),
        "source_label": label(SOURCE_LABELS),
        "channel_label": labels["channel"],
        "status_label": label(STATUS_LABELS),
        "role_label": label(ROLE_LABELS),
        "language_label": labels["language"],
        "goal_label": lambda goal: goals.label(goal, lang),
        "goal_short": lambda goal: goals.short(goal, lang),
        "area_label": lambda area: goals.area_label(area, lang),
        "month_label": lambda month: month_name(month, lang),
    }


def babel_locale(lang: str) -> str:
    """The CLDR locale dates and numbers use in a staff or public page's language."""
    return _BABEL_LOCALES.get(lang, "en_GB")


def month_name(month: object, lang: str) -> str:
    """ "October 2026" in the page's language (CLDR stand-alone month name)."""
    found = Month.parse_or_none(str(month))
    if found is None:
        return str(month)
    locale = _BABEL_LOCALES.get(lang, "en_GB")
    name: str = format_date(date(found.year, found.month, 1), "LLLL y", locale=locale)
    return name[:1].upper() + name[1:]


def render(template: str, lang: str, values: dict[str, Any]) -> str:
    """The page as text, in `lang`; values are escaped by the template unless marked safe."""
    context: dict[str, Any] = {"lang": lang}
    context.update(translator(lang))
    context.update(values)
    return environment().get_template(template).render(context)
