"""What each registry language still lacks beyond its catalogue, so that `fikir i18n check` says
what adding a language (or reviewing one) leaves to do: registry fields, the language's name in
the catalogues, a tagging lexicon, detection cues and number words one to ten."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.pofile import read_po

from fikir.config.languages import LANGUAGES, SDG_COUNT, SMS_COMMANDS, Language
from fikir.i18n.catalog import DOMAIN, po_path
from fikir.i18n.detect_words import CUE_WORDS
from fikir.polls.numbers import number_words
from fikir.tagging.lexicon import LEXICON_DIR


def _catalogue_ids(lang: str) -> set[str]:
    path = po_path(lang)
    if not path.exists():
        return set()
    with path.open("rb") as handle:
        catalog = read_po(handle, domain=DOMAIN)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def language_problems(
    languages: Iterable[Language] = LANGUAGES, lexicon_dir: Path = LEXICON_DIR
) -> list[str]:
    """One line per thing a language lacks; empty when every language is complete."""
    problems: list[str] = []
    english = _catalogue_ids("en")
    for language in languages:
        code = language.code
        if language.english_name not in english:
            problems.append(
                f"{code}: its name {language.english_name!r} is no catalogue message "
                "(add it to LANGUAGE_NAMES in fikir/digest/labels.py)"
            )
        if not language.sms_label or not language.sms_label.isascii():
            problems.append(f"{code}: sms.label must name it in plain Latin letters (GSM-7)")
        if len(language.sdg_names) != SDG_COUNT:
            problems.append(f"{code}: sdg_names has {len(language.sdg_names)} names, needs 17")
        for command in SMS_COMMANDS:
            if not language.keywords_for(command):
                problems.append(
                    f"{code}: no SMS keyword for {command.upper()} (keywords.{command})"
                )
        if not (lexicon_dir / f"{code}.txt").exists():
            problems.append(f"{code}: no tagging lexicon fikir/tagging/lexicons/{code}.txt")
        if not CUE_WORDS.get(code):
            problems.append(f"{code}: no detection cue words (CUE_WORDS in i18n/detect_words.py)")
        numbers = number_words(code)
        if len(numbers) != 10 or not all(numbers):
            problems.append(f"{code}: number words one to ten missing (fikir/polls/numbers.py)")
    return problems
