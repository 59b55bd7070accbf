"""Detector for people's names: self-introductions, sign-offs, honorifics, full names, contact names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fikir.privacy import redact_name_rules as rules
from fikir.privacy.redact_common import Found, is_title, matches_at
from fikir.privacy.redact_keywords import starts
from fikir.privacy.redact_lexicon import (
    is_common_word_name,
    is_first_name,
    is_name_stopword,
    is_not_name,
    is_place,
)
from fikir.privacy.redact_people import find_people


def find_names(text: str, contacts: Iterable[Found] = ()) -> list[Found]:
    """Every name in `text`; `contacts` (phones, e-mails) let a known given name next to them count."""
    spans = list(_triggered(text))
    spans += _signoffs(text)
    spans += _honorifics(text)
    spans += _full_names(text)
    spans += _georgian(text)
    spans += _contact_names(text, contacts)
    spans += _standalone(text)
    spans += find_people(text)
    spans += _propagated(text, spans)
    return spans


def _accepts(word: str, mode: str, text: str, end: int) -> bool:
    if is_name_stopword(word) or is_not_name(word):
        return False
    known = is_first_name(word)
    if mode == rules.ANY:
        return True
    if mode == rules.LEX:
        return known and not is_place(word)
    if is_place(word):
        return False
    title = is_title(word)
    if mode == rules.CAP:
        return title or (known and not is_common_word_name(word))
    if mode == rules.KIN:
        return title
    if mode == rules.MEN and title and _is_copula_name(word):
        return True
    boundary = rules.AFTER_NAME_BOUNDARY.match(text, end) is not None
    if not title:
        # "mən ümid edirəm" (I hope) is no name; "i am anar from baku" is.
        return known and (boundary or not is_common_word_name(word))
    return known or boundary


_CASE_ENDING = re.compile(r"(?:d|t)(?:a|ə|e|an|ən|en|akı|əki|aki|eki)$", re.IGNORECASE)


def _is_case_form(word: str) -> bool:
    """ "Məktəbdə müəllim yoxdur", "Xəstəxanada həkim": a place in the locative, not "Name müəllim"."""
    return not is_first_name(word) and _CASE_ENDING.search(word) is not None


def _is_copula_name(word: str) -> bool:
    """ "Rəşadam", "Aygunem": a name plus "I am"; "Bakıdanam", "Lerikliyəm" are places."""
    m = rules.COPULA.search(word)
    if m is None:
        return False
    stem = word[: m.start()]
    return len(stem) >= 3 and rules.CASE_ENDING.search(stem) is None and not is_place(stem)


def _triggered(text: str) -> Iterator[Found]:
    for rule, mode, key in rules.TRIGGERS:
        after = rules.NEXT_AFTER_I if mode in (rules.WEAK, rules.MEN) else rules.NEXT
        for m in matches_at(rule, text, starts(text, key)):
            w = after.match(text, m.end())
            if w is None or not _accepts(w.group(1), mode, text, w.end()):
                continue
            yield Found(
                w.start(1),
                _extend(
                    text, w.end(1), w.group(1), strict=mode in (rules.WEAK, rules.LEX, rules.MEN)
                ),
                "name",
            )


def _extend(text: str, end: int, first: str, strict: bool) -> int:
    """Take the surname and patronymic that follow a given name ("Иван Петров", "Elnur Kamal oğlu")."""
    lower_first = not is_title(first) and first[:1].isalpha() and not _is_georgian(first)
    for _ in range(2):
        initial = rules.INITIAL_AFTER.match(text, end)
        if initial is not None:  # "Leyla M.", "Петров И.И."
            return initial.end()
        m = rules.CONT.match(text, end)
        if m is None:
            break
        w = m.group(1)
        surname = (
            rules.STRONG_SURNAME.search(w)
            or rules.WEAK_SURNAME.search(w)
            or rules.PATRONYMIC.search(w)
        )
        if _is_georgian(w):
            ok = surname is not None
        elif lower_first:
            ok = surname is not None and not is_title(w)
        else:
            ok = is_title(w) and (not strict or surname is not None or is_first_name(w))
        if (
            not ok
            or is_place(w)
            or is_not_name(w)
            or is_name_stopword(w)
            or rules.ORG_AFTER.match(w)
        ):
            break
        end = m.end(1)
    return end


def _is_georgian(word: str) -> bool:
    return "\u10d0" <= word[:1] <= "\u10ff"


def _signoffs(text: str) -> Iterator[Found]:
    for rule, strict, key in ((rules.SIGNOFF, False, "signoff"), (rules.THANKS, True, "thanks")):
        offsets = starts(text, key)
        for m in matches_at(rule, text, offsets):
            w = rules.NEXT_SIGNOFF.match(text, m.end())
            if w is None:
                continue
            word = w.group(1)
            ok = is_first_name(word) or (
                not strict and (is_title(word) or _is_georgian(word)) and not is_place(word)
            )
            if ok and not is_not_name(word) and not is_name_stopword(word):
                yield Found(w.start(1), _extend(text, w.end(1), word, strict=False), "name")


def _honorifics(text: str) -> Iterator[Found]:
    if not starts(text, "honorific_after"):
        return
    for m in rules.HONORIFIC_AFTER.finditer(text):
        first, second = m.group(1), m.group(2)
        words = [(m.start(i), m.end(i), w) for i, w in ((1, first), (2, second)) if w is not None]
        # "Hörmətli Vüsal müəllim": drop a leading word that is no name; keep the rest.
        while words and (
            is_place(words[0][2]) or is_not_name(words[0][2]) or _is_case_form(words[0][2])
        ):
            words.pop(0)
        if words and not any(is_place(w) for _, _, w in words):
            yield Found(words[0][0], words[-1][1], "name")
    for m in matches_at(rules.HONORIFIC_BEFORE, text, starts(text, "honorific_before")):
        yield Found(m.start(1), m.end(1), "name")


def _full_names(text: str) -> Iterator[Found]:
    """Given name plus surname anywhere ("Aida Rzayeva", "Мамедова Нигяр Алиевна"), unless an institution."""
    if rules.TWO_CAPITALS.search(text) is None:
        return
    for run in rules.CAP_RUN.finditer(text):
        words = [
            (w.start() + run.start(), w.end() + run.start(), w.group())
            for w in rules.WORD_RE.finditer(run.group())
        ]
        i = 0
        while i < len(words) - 1:
            span = _name_at(text, words, i)
            if span is None:
                i += 1
                continue
            yield Found(span[0], span[1], "name")
            i = span[2]


def _name_at(text: str, words: list[tuple[int, int, str]], i: int) -> tuple[int, int, int] | None:
    (s1, _, w1), (_, e2, w2) = words[i], words[i + 1]
    if any(is_place(w) or is_not_name(w) for w in (w1, w2)):
        return None
    if w1.isupper() and len(w1) > 1 and not w2.isupper():
        return None  # "Глава ИВ Рагимов": an abbreviation before a name is no given name
    given_first = rules.STRONG_SURNAME.search(w2) and (
        is_first_name(w1) or not _is_sentence_start(text, s1)
    )
    given_first = given_first or (rules.WEAK_SURNAME.search(w2) and is_first_name(w1))
    given_first = given_first or (rules.PATRONYMIC.search(w2) and is_first_name(w1))
    surname_first = rules.STRONG_SURNAME.search(w1) and is_first_name(w2)
    if not (given_first or surname_first):
        return None
    end, nxt = e2, i + 2
    if nxt < len(words) and rules.PATRONYMIC.search(words[nxt][2]):
        end, nxt = words[nxt][1], nxt + 1
    if rules.ORG_AFTER.match(text, end):
        return None
    return s1, end, nxt


def _is_sentence_start(text: str, pos: int) -> bool:
    """True when only spaces separate `pos` from the start of the text or of a sentence."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
        if text[i] == "\n":
            return True
    return i == 0 or text[i - 1] in ".!?"


def _georgian(text: str) -> Iterator[Found]:
    if "მქვია" not in text and "ძე" not in text and "შვილი" not in text:
        return
    for m in rules.GEORGIAN_BEFORE_MQVIA.finditer(text):
        if m.group(1) not in ("მე", "ჩემი"):
            yield Found(m.start(1), m.end(1), "name")
    if "ძე" in text or "შვილი" in text:
        for run in rules.GEORGIAN_RUN.finditer(text):
            parts = run.group().split()
            for a, b in zip(parts, parts[1:], strict=False):
                if is_first_name(a) and rules.STRONG_SURNAME.search(b):
                    start = run.start() + run.group().index(a + " " + b)
                    yield Found(start, start + len(a) + 1 + len(b), "name")


def _contact_names(text: str, contacts: Iterable[Found]) -> Iterator[Found]:
    """A known given name written right before or after a phone or e-mail is the contact's name."""
    for c in contacts:
        if c.kind not in ("phone", "email"):
            continue
        before = rules.CONTACT_BEFORE.search(text, max(0, c.start - 40), c.start)
        if before and is_first_name(before.group(1)) and not is_place(before.group(1)):
            yield Found(before.start(1), before.end(1), "name")
        after = rules.CONTACT_AFTER.search(text[c.end : c.end + 40])
        if after and is_first_name(after.group(1)) and not is_place(after.group(1)):
            yield Found(c.end + after.start(1), c.end + after.end(1), "name")
    final = rules.FINAL_NAME.search(text)
    if final and is_first_name(final.group(1)) and not is_place(final.group(1)):
        yield Found(final.start(1), final.end(1), "name")


def _standalone(text: str) -> Iterator[Found]:
    """Names given without an introduction: word order, openings, writers, dash lines, initials."""
    if starts(text, "name_between"):
        for m in rules.BETWEEN.finditer(text):
            group = 1 if m.group(1) is not None else 2
            word = m.group(group)
            if not is_place(word) and not is_not_name(word) and not is_name_stopword(word):
                yield Found(m.start(group), m.end(group), "name")
    opening = rules.OPENING_NAME_AGE.match(text)
    if opening is not None:
        yield from _names_in(opening, (1, 2))
    if starts(text, "writer"):
        for m in rules.WRITER.finditer(text):
            word = m.group(1)
            if not is_place(word) and not is_not_name(word):
                if is_first_name(word) or not _is_sentence_start(text, m.start(1)):
                    yield Found(m.start(1), m.end(1), "name")
    if any(dash in text for dash in "-–—~"):
        for m in rules.DASH_LINE.finditer(text):
            yield from _names_in(m, (1,))
    if rules.INITIAL.search(text) is not None:
        for m in rules.SURNAME_INITIALS.finditer(text):
            surname = m.group(1) or m.group(4)
            if rules.STRONG_SURNAME.search(surname) or rules.WEAK_SURNAME.search(surname):
                yield Found(m.start(), m.end(), "name")


def _names_in(m: re.Match[str], groups: tuple[int, ...]) -> Iterator[Found]:
    """The groups of `m` that can be names, as one span ("Mən Arzu, 17": only "Arzu")."""
    spans = [(m.start(g), m.end(g), m.group(g)) for g in groups if m.group(g) is not None]
    while spans and (is_place(spans[0][2].split()[0]) or is_not_name(spans[0][2].split()[0])):
        spans.pop(0)
    if spans and not any(is_place(w.split()[0]) for _, _, w in spans):
        yield Found(spans[0][0], spans[-1][1], "name")


def _propagated(text: str, spans: list[Found]) -> Iterator[Found]:
    """Once a name is known, its other mentions in the same message go too ("Leyla … Leylanın")."""
    tokens = {
        w.group()
        for s in spans
        for w in rules.WORD_RE.finditer(text, s.start, s.end)
        if len(w.group()) >= 3 and not is_place(w.group()) and not is_not_name(w.group())
    }
    if not tokens:
        return
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    for m in re.finditer(rf"(?<!\w)(?:{alternatives})\w{{0,4}}(?!\w)", text, re.IGNORECASE):
        yield Found(m.start(), m.end(), "name")
