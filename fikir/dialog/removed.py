"""Telling writers what redaction took out of their message, counted in their language's plurals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from fikir.config.markers import N_
from fikir.i18n import NP_, translate, translate_plural

# One phrase per kind of placeholder (fikir/privacy/redact.py KINDS), in the order they are
# listed to the writer: the commonest first.
KIND_WORDS: dict[str, tuple[str, str]] = {
    "name": NP_("{n} name", "{n} names"),
    "phone": NP_("{n} phone number", "{n} phone numbers"),
    "email": NP_("{n} e-mail address", "{n} e-mail addresses"),
    "address": NP_("{n} street address", "{n} street addresses"),
    "username": NP_("{n} username", "{n} usernames"),
    "link": NP_("{n} link", "{n} links"),
    "id": NP_("{n} document number", "{n} document numbers"),
    "fin": NP_("{n} FIN code", "{n} FIN codes"),
    "card": NP_("{n} bank card number", "{n} bank card numbers"),
    "iban": NP_("{n} bank account number", "{n} bank account numbers"),
    "plate": NP_("{n} car number plate", "{n} car number plates"),
}
# Any kind the list above does not name yet is still counted, never left unsaid.
OTHER_WORDS = NP_("{n} other personal detail", "{n} other personal details")
REMOVED = N_("To keep you anonymous, we took {items} out of your message.")
LIST_AND = N_("{items} and {last}")


def removed_items(lang: str, kinds: Iterable[str]) -> str:
    """ "1 name and 2 phone numbers" in `lang`; empty when nothing was removed."""
    counts = Counter(kinds)
    phrases = [
        translate_plural(lang, *forms, counts[kind])
        for kind, forms in KIND_WORDS.items()
        if counts[kind]
    ]
    others = sum(n for kind, n in counts.items() if kind not in KIND_WORDS)
    if others:
        phrases.append(translate_plural(lang, *OTHER_WORDS, others))
    if len(phrases) <= 1:
        return "".join(phrases)
    return translate(lang, LIST_AND, items=", ".join(phrases[:-1]), last=phrases[-1])


def removed_note(lang: str, kinds: Iterable[str]) -> str:
    """The sentence that tells the writer what was taken out; empty when nothing was."""
    items = removed_items(lang, kinds)
    return translate(lang, REMOVED, items=items) if items else ""
