"""Keeping the catalogues honest: every message translated, nothing stale, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from fikir.config.languages import LANGUAGES, get_language
from fikir.i18n.catalog import DOMAIN, po_path, reload

PACKAGE_DIR = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "NP_": (1, 2), "_": None, "gettext": None, "ngettext": (1, 2)}
METHOD_MAP = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
_PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")
_PLURAL_FORMS = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def _extra_plurals() -> dict[str, tuple[int, str]]:
    """Plural rules the registry gives for languages CLDR does not describe (tly, lez, jdt)."""
    rules: dict[str, tuple[int, str]] = {}
    for language in LANGUAGES:
        found = _PLURAL_FORMS.match(language.plural_forms.strip())
        if found:
            rules[language.code] = (int(found.group(1)), found.group(2).strip())
    return rules


EXTRA_PLURALS = _extra_plurals()
REVIEW_MARK = "needs native review"


def template() -> Catalog:
    """Every marked message in the package (code and templates), as a fresh template."""
    catalog = Catalog(project="fikir", domain=DOMAIN)
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(PACKAGE_DIR),
        method_map=METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments)
    return catalog


def expected_plurals(lang: str) -> tuple[int, str]:
    if lang in EXTRA_PLURALS:
        return EXTRA_PLURALS[lang]
    plural = get_plural(lang)
    return plural.num_plurals, plural.plural_expr


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def placeholder_mismatch(
    ids: tuple[str, ...], pluralizable: bool, string: str
) -> tuple[set[str], set[str]]:
    """The placeholders a translation lacks and those it adds, against its message ids
    (`{n}` is free in plural messages); the rule of `fikir i18n check` and of uploads."""
    allowed = set().union(*(placeholders(i) for i in ids))
    extra = placeholders(string) - allowed - ({"n"} if pluralizable else set())
    missing = placeholders(ids[0]) - placeholders(string)
    if pluralizable:
        missing -= {"n"}
    return missing, extra


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, (list, tuple)):
        return tuple(message.string)
    return (message.string or "",)


def check_catalogues() -> list[str]:
    """Problems, one line each; an empty list means every catalogue is complete."""
    tpl = template()
    wanted = {m.id if isinstance(m.id, str) else m.id[0]: m for m in tpl if m.id}
    problems: list[str] = []
    for language in LANGUAGES:
        lang = language.code
        path = po_path(lang)
        if not path.exists():
            problems.append(f"{lang}: catalogue {path} is missing")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, domain=DOMAIN)
        nplurals, _ = expected_plurals(lang)
        if catalog.num_plurals != nplurals:
            problems.append(
                f"{lang}: Plural-Forms has {catalog.num_plurals} forms, expected {nplurals}"
            )
        if language.needs_native_review and REVIEW_MARK not in catalog.language_team.lower():
            problems.append(f"{lang}: Language-Team must say '{REVIEW_MARK}' (draft translation)")
        have = {}
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            have[key] = message
        for key in sorted(set(have) - set(wanted)):
            problems.append(f"{lang}: stale message {key[:60]!r}")
        for obsolete in catalog.obsolete:
            problems.append(f"{lang}: obsolete message {str(obsolete)[:60]!r}")
        for key, wanted_message in wanted.items():
            found = have.get(key)
            short = key[:60]
            if found is None:
                problems.append(f"{lang}: missing message {short!r}")
                continue
            if found.fuzzy:
                problems.append(f"{lang}: fuzzy translation of {short!r}")
            strings = _strings(found)
            if wanted_message.pluralizable and len(strings) != nplurals:
                problems.append(f"{lang}: {short!r} needs {nplurals} plural forms")
            if any(not s.strip() for s in strings):
                problems.append(f"{lang}: untranslated {short!r}")
                continue
            for string in strings:
                missing, extra = placeholder_mismatch(
                    _ids(wanted_message), wanted_message.pluralizable, string
                )
                if extra or missing:
                    problems.append(
                        f"{lang}: placeholders differ in {short!r}: "
                        f"missing {sorted(missing)}, unknown {sorted(extra)}"
                    )
    return problems


def update_catalogues() -> list[str]:
    """Add new messages (empty, to be translated) and drop stale ones in every catalogue."""
    report = []
    for language in LANGUAGES:
        lang = language.code
        tpl = template()  # fresh per language: Catalog.update shares message objects
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, domain=DOMAIN)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="fikir")
            catalog.language_team = get_language(lang).endonym + (
                f" — draft, {REVIEW_MARK}" if language.needs_native_review else ""
            )
        nplurals, expr = expected_plurals(lang)
        # Babel has no public setter; tly and lez are unknown to CLDR, so set the rule here.
        setattr(catalog, "_num_plurals", nplurals)  # noqa: B010
        setattr(catalog, "_plural_expr", expr)  # noqa: B010
        before = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        catalog.update(tpl, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        if lang == "en":
            for message in catalog:
                if message.id and not any(s.strip() for s in _strings(message)):
                    message.string = (
                        message.id
                        if isinstance(message.id, str)
                        else tuple(
                            message.id[0] if i == 0 else message.id[1] for i in range(nplurals)
                        )
                    )
        after = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
        report.append(
            f"{lang}: {len(after - before)} new, {len(before - after)} removed, {len(after)} total"
        )
    reload()
    return report
