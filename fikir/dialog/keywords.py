"""Single-word commands in every language (SMS keywords and Telegram slash commands alike).

Each language's own words live in its registry entry (fikir/config/languages/<code>.yaml); the
words here belong to no language: Telegram's slash commands and what carriers teach everyone.
"""

from __future__ import annotations

from collections import defaultdict

from fikir.config.languages import LANGUAGES
from fikir.i18n.textfold import fold

_UNIVERSAL: dict[str, tuple[str, ...]] = {
    "start": ("/start", "start", "старт"),
    "join": ("join", "subscribe"),
    "stop": ("/stop", "stop", "стоп", "cancel"),
    "help": ("/help", "help", "?"),
    "forget": ("/forget",),
    "language": ("/language", "lang"),
    "feedback": ("/feedback",),
    "polls": ("/polls", "poll", "polls"),
    "results": ("/results",),
    "menu": ("/menu", "menu", "меню"),
    # "You said, we did" updates: asks the yes/no question again.
    "updates": ("/news", "news"),
    # A statement of the opinion map to vote on, at any time.
    "opinion": ("/opinion", "opinion"),
}


def _index() -> tuple[dict[str, str], dict[str, str]]:
    """Folded word → command, and folded word → the one language that uses it (when only one does)."""
    commands: dict[str, str] = {}
    owners: dict[str, set[str]] = defaultdict(set)
    for command, words in _UNIVERSAL.items():
        for word in words:
            commands.setdefault(fold(word), command)
            owners[fold(word)].add("")
    for language in LANGUAGES:
        for command, words in language.keywords:
            for word in words:
                commands.setdefault(fold(word), command)
                owners[fold(word)].add(language.code)
    only = {word: next(iter(codes)) for word, codes in owners.items() if len(codes) == 1}
    return commands, {word: code for word, code in only.items() if code}


_INDEX, _LANGUAGE_OF = _index()


def keyword(text: str | None) -> str | None:
    """The command a one-word message means, or None (longer text is never a keyword)."""
    if not text:
        return None
    stripped = text.strip().strip(".!").strip()
    if not stripped or len(stripped) > 20 or len(stripped.split()) != 1:
        return None
    if stripped.startswith("/"):
        stripped = stripped.split("@", 1)[0]  # Telegram's /start@fikir_bot in groups
    return _INDEX.get(fold(stripped))


def keyword_language(text: str | None) -> str | None:
    """The language of a one-word keyword when only one language uses that word, else None.

    A first SMS that is only a keyword (QOŞUL, ПОДПИСКА) is answered in its language; words
    several languages share (STOP, СТОП, HELP, START) say nothing about the language.
    """
    if keyword(text) is None or text is None:
        return None
    return _LANGUAGE_OF.get(fold(text.strip().strip(".!").strip()))
