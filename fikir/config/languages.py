"""The language registry: one typed entry per language, read from `languages/<code>.yaml`, so that
every channel, check and table agrees on the languages fikir speaks and adding one is one file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LANGUAGE_DIR = Path(__file__).parent / "languages"
# The one-word SMS commands every language must let people type.
SMS_COMMANDS: tuple[str, ...] = ("join", "stop", "help", "forget", "language")
KEYWORD_COMMANDS: tuple[str, ...] = (
    *SMS_COMMANDS,
    *("start", "feedback", "polls", "results", "menu", "updates", "opinion"),
)
SDG_COUNT = 17


@dataclass(frozen=True)
class Language:
    """A language a respondent can choose; `endonym` is how its speakers name it."""

    code: str
    endonym: str
    babel_locale: str
    script: str
    needs_native_review: bool = False
    english_name: str = ""
    # Languages its speakers read, best first: where a text missing in this language is taken from.
    fallback: tuple[str, ...] = ()
    # Languages whose words its writers mix in (a Talysh message uses Azerbaijani words).
    borrows_from: tuple[str, ...] = ()
    sms_label: str = ""  # its name in GSM-7 letters, for the SMS language menu
    sms_plain_letters: bool = False  # Latin letters outside GSM-7 (ə ş ğ ı ç) go out plain
    plural_forms: str = ""  # "nplurals=…; plural=…;" where CLDR does not describe the language
    keywords: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (command, words typed for it)
    sdg_names: tuple[str, ...] = ()

    def keywords_for(self, command: str) -> tuple[str, ...]:
        """The words typed in this language for `command` (empty when it has none)."""
        return dict(self.keywords).get(command, ())


class LanguageFileError(ValueError):
    """A language file is malformed; the message names the file and the field."""


def _strings(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
        raise LanguageFileError(f"{where}: expected a list of non-empty texts")
    return tuple(s.strip() for s in raw)


def parse_language(data: Any, source: str) -> tuple[int, Language]:
    """One language file's contents as (menu position, entry); LanguageFileError when malformed."""
    if not isinstance(data, dict):
        raise LanguageFileError(f"{source}: expected a mapping")
    for field in ("code", "position", "english_name", "endonym", "babel_locale", "script"):
        if data.get(field) in (None, ""):
            raise LanguageFileError(f"{source}: {field} is missing")
    sms = data.get("sms_texts") or {}
    keywords = data.get("keywords") or {}
    if not isinstance(sms, dict) or not isinstance(keywords, dict):
        raise LanguageFileError(f"{source}: sms_texts and keywords must be mappings")
    unknown = sorted(set(keywords) - set(KEYWORD_COMMANDS))
    if unknown:
        raise LanguageFileError(f"{source}: keywords: unknown command(s) {', '.join(unknown)}")
    language = Language(
        code=str(data["code"]),
        endonym=str(data["endonym"]),
        babel_locale=str(data["babel_locale"]),
        script=str(data["script"]),
        needs_native_review=bool(data.get("needs_native_review", False)),
        english_name=str(data["english_name"]),
        fallback=_strings(data.get("fallback"), f"{source}: fallback"),
        borrows_from=_strings(data.get("borrows_from"), f"{source}: borrows_from"),
        sms_label=str(sms.get("label", "")),
        sms_plain_letters=bool(sms.get("plain_letters", False)),
        plural_forms=str(data.get("plural_forms", "")),
        keywords=tuple(
            (command, _strings(words, f"{source}: keywords.{command}"))
            for command, words in keywords.items()
        ),
        sdg_names=_strings(data.get("sdg_names"), f"{source}: sdg_names"),
    )
    return int(data["position"]), language


def load_languages(directory: Path = LANGUAGE_DIR) -> tuple[Language, ...]:
    """Every language file in `directory`, in menu order; LanguageFileError on a broken registry."""
    found: list[tuple[int, Language]] = []
    for path in sorted(directory.glob("*.yaml")):
        position, language = parse_language(yaml.safe_load(path.read_text("utf-8")), path.name)
        if language.code != path.stem:
            raise LanguageFileError(f"{path.name}: code {language.code!r} differs from file name")
        found.append((position, language))
    found.sort(key=lambda item: item[0])
    languages = tuple(language for _, language in found)
    codes = {language.code for language in languages}
    for language in languages:
        stray = [c for c in (*language.fallback, *language.borrows_from) if c not in codes]
        if stray or language.code in language.fallback:
            raise LanguageFileError(
                f"{language.code}.yaml: fallback to an unknown language {stray}"
            )
    return languages


LANGUAGES: tuple[Language, ...] = load_languages()
LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
DEFAULT_LANGUAGE = "az"
# Staff-facing material (digest, dashboard) is offered in these.
STAFF_LANGUAGES: tuple[str, ...] = ("en", "az", "ru")

_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def get_language(code: str) -> Language:
    """Return the language for `code`, raising KeyError for a code fikir does not ship."""
    return _BY_CODE[code]


def is_supported(code: str | None) -> bool:
    """True when `code` is one of the languages fikir ships."""
    return code is not None and code in _BY_CODE


def followed(chains: tuple[tuple[str, tuple[str, ...]], ...], lang: str | None) -> tuple[str, ...]:
    """`lang` and its chain, with the chains of those in turn (each language once)."""
    by_code = dict(chains)
    found: list[str] = []
    pending = [lang] if lang in by_code else []
    while pending:
        current = pending.pop(0)
        if current in found or current is None:
            continue
        found.append(current)
        pending[:0] = by_code.get(current, ())
    return tuple(found)


def fallback_chain(code: str | None) -> tuple[str, ...]:
    """The registry's languages to try for a text, in order: `code`, its fallbacks (theirs too),
    the default (fikir.config.fallbacks decides with admins' chains too)."""
    chain = followed(tuple((lang.code, lang.fallback) for lang in LANGUAGES), code)
    return chain if DEFAULT_LANGUAGE in chain else (*chain, DEFAULT_LANGUAGE)
