"""Server-rendered pages: one Jinja2 environment, autoescaped, translated per request."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from fikir.config.languages import LANGUAGES
from fikir.config.markers import N_
from fikir.config.regions import AGE_BAND_LABELS, GENDER_LABELS, REGION_LABELS
from fikir.i18n.catalog import translations
from fikir.web.admin import goals

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# Every response of the dashboard, public page and simulator carries these.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

NOT_GIVEN = N_("not given")
_ENDONYMS = {language.code: language.endonym for language in LANGUAGES}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Built on first use, not at import; autoescape is on for every template."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "svg"], default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["endonym"] = lambda code: _ENDONYMS.get(code or "", code or "")
    env.globals["goal_colour"] = goals.colour
    env.globals["goal_text_colour"] = goals.text_colour
    env.filters["day"] = lambda moment: moment.strftime("%Y-%m-%d") if moment else ""
    env.filters["minute"] = lambda moment: moment.strftime("%Y-%m-%d %H:%M") if moment else ""
    return env


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

    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext,
        "region_label": label(REGION_LABELS),
        "age_label": label(AGE_BAND_LABELS),
        "gender_label": label(GENDER_LABELS),
        "goal_label": lambda goal: goals.label(goal, lang),
        "goal_short": lambda goal: goals.short(goal, lang),
        "area_label": lambda area: goals.area_label(area, lang),
    }


def render(template: str, lang: str, values: dict[str, Any]) -> str:
    """The page as text, in `lang`; values are escaped by the template unless marked safe."""
    context: dict[str, Any] = {"lang": lang}
    context.update(translator(lang))
    context.update(values)
    return environment().get_template(template).render(context)
