"""Names of other people: officials after a role word, surnames after a cue, surnames by their shape, patronymics.

People write about named officials ("İcra başçısı Rəhimov", "директор школы Мамедова"); with a
village that names the writer too. The rules here recognise a surname by its ending in each
language (redact_surnames) and the words that introduce one, instead of listing surnames.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from fikir.privacy.redact_common import Found, is_title
from fikir.privacy.redact_keywords import starts
from fikir.privacy.redact_lexicon import (
    is_common_word_name,
    is_first_name,
    is_name_stopword,
    is_not_name,
    is_place,
)
from fikir.privacy.redact_name_rules import ORG_AFTER, WORD_RE
from fikir.privacy.redact_surnames import (
    PATRONYMIC_WORDS,
    STRONG,
    WEAK,
    is_patronymic,
    stem_is_given_name,
    surname_strength,
)

Token = tuple[int, int, str]

# Titles that may stand between a role word and the name ("the head, Mr Rahimov", "imamı Hacı …").
_HONORIFICS = frozenset(
    "mr mrs ms miss dr prof hacı haci hajі haji cənab cenab cənabı cenabi xanım xanim господин "
    "госпожа г-н г-жа пан пані ბატონი ქალბატონი ბატონ ქალბატონ гьажи".split()
)
# Words after a role word that say something about the role, never a name ("həkim yoxdur").
_ROLE_STOP = frozenset(
    "müavini muavini müavin muavin köməkçisi komekcisi заместитель заместителя помощник помощника "
    "deputy assistant general генеральный заступник".split()
)
_MAX_BETWEEN = 4  # "head of the executive power, Mr Rahimov": four words between role and name
_MAX_AFTER = 3  # given name, patronymic and surname after the first word of a name
_STOP_GAP = re.compile(r"[.!?;\n()\[\]«»\"]")
_GEORGIAN = re.compile(r"[\u10d0-\u10ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GENITIVE = re.compile(r"(?i:n?[ıiuü]n)$")


# Letters every surname or patronymic shape contains: words without them are never looked at.
# Written case-sensitively (upper case for names in capitals): (?i) makes this scan four times slower.
_SHAPE_HINT = re.compile(
    r"[oöe]v|[оеё]в|ვ|za[dt]|zo[dt]|за[дт]|зо[дт]|нко|nko|ichn|ivn|ичн|[іїи]вн|შვილ|ძ|o[ğg]l|"
    r"[qk][ıi]z|giz|огл|[кг]ыз|къиз|ასულ|[OÖE]V|[ОЕЁ]В|ZAD|ЗАДЕ|ENKO|ЕНКО|O[ĞG]L|ОГЛ"
)


def find_people(text: str) -> list[Found]:
    """Names of third parties found by role words, cues, surname shapes and patronymics."""
    leads = starts(text, "official") + starts(text, "cue")
    hints = [m.start() for m in _SHAPE_HINT.finditer(text)]
    if not leads and not hints:
        return []
    tokens = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
    index = {start: i for i, (start, _, _) in enumerate(tokens)}
    spans: list[Found] = []
    for offset in leads:
        i = index.get(offset)
        if i is not None:
            spans += _after_lead(text, tokens, i)
    firsts = [start for start, _, _ in tokens]
    shaped = sorted({bisect_right(firsts, h) - 1 for h in hints} - {-1})
    spans += _by_shape(text, tokens, shaped)
    return spans


def _gap(text: str, tokens: list[Token], i: int) -> str:
    """The characters between token i and token i + 1."""
    return text[tokens[i][1] : tokens[i + 1][0]]


def _after_lead(text: str, tokens: list[Token], lead: int) -> Iterator[Found]:
    """The name that follows a role word or a cue, skipping words that complete the role."""
    between = 0
    honorific = comma = False
    i = lead
    while i + 1 < len(tokens) and between <= _MAX_BETWEEN:
        gap = _gap(text, tokens, i)
        if _STOP_GAP.search(gap) or (comma and "," in gap):
            return
        comma = comma or "," in gap
        i += 1
        word = tokens[i][2]
        low = word.casefold()
        if low in _HONORIFICS:
            honorific = True
            continue
        # Any capitalised word right after the role is its holder ("Продавец Тофиг"); after a
        # comma or other words only a name's shape will do ("teacher, I'm …" is no name).
        if _is_candidate(word, first=(between == 0 and not comma) or honorific):
            if ORG_AFTER.match(text, tokens[i][1]) is None:
                yield Found(tokens[i][0], _extend(text, tokens, i), "name")
            return
        if (
            low in _ROLE_STOP
            or is_name_stopword(word)
            or is_place(word)
            or (is_title(word) and not _is_lead(text, tokens[i][0]))
        ):
            return
        between += 1


def _is_lead(text: str, offset: int) -> bool:
    return offset in starts(text, "official") or offset in starts(text, "cue")


def _is_candidate(word: str, first: bool) -> bool:
    """Can `word`, met after a role word or a cue, be the name? `first`: nothing stood between."""
    if is_not_name(word) or is_place(word) or is_name_stopword(word):
        return False
    strength = surname_strength(word)
    if strength == STRONG or is_patronymic(word):
        return True
    if _GEORGIAN.match(word):
        return strength == WEAK or is_first_name(word)
    if word.isupper() and len(word) > 1:
        return False  # "Глава ИВ", "UNICEF": abbreviations complete the role
    if is_title(word):
        return strength == WEAK or is_first_name(word) or first
    # Lower case: a given name, or a weak ending built on a given name ("sədr həsənli").
    return (is_first_name(word) and not is_common_word_name(word)) or (
        strength == WEAK and stem_is_given_name(word)
    )


def _extend(text: str, tokens: list[Token], i: int) -> int:
    """The end of a name that starts at token i: "Səlimova Gülnarə", "Nəbiyev Elçin Həsən oğlu"."""
    end = tokens[i][1]
    first_title = is_title(tokens[i][2])
    for _ in range(_MAX_AFTER):
        if i + 1 >= len(tokens) or _gap(text, tokens, i).strip():
            break
        word = tokens[i + 1][2]
        if word.casefold() in PATRONYMIC_WORDS or word == "ძე":
            i, end = i + 1, tokens[i + 1][1]
            continue
        if is_place(word) or is_not_name(word) or is_name_stopword(word):
            break
        if ORG_AFTER.match(word):
            break
        shaped = surname_strength(word) > 0 or is_patronymic(word) or is_first_name(word)
        # "Мурадов Рамиз …", "Salmanov Elvin": a capitalised word after a surname is the given name.
        shaped = shaped or (is_title(word) and surname_strength(tokens[i][2]) == STRONG)
        if _GEORGIAN.match(word):
            ok = shaped or _georgian_father(text, tokens, i + 1)
        else:
            ok = shaped and (is_title(word) or not first_title)
        if not ok:
            break
        i, end = i + 1, tokens[i + 1][1]
    return end


def _georgian_father(text: str, tokens: list[Token], i: int) -> bool:
    """ "გიორგის ძე": a father's name in the genitive, followed by "son"."""
    return (
        tokens[i][2].endswith("ის")
        and i + 1 < len(tokens)
        and tokens[i + 1][2] in ("ძე", "ასული")
        and not _gap(text, tokens, i).strip()
    )


def _by_shape(text: str, tokens: list[Token], candidates: list[int]) -> Iterator[Found]:
    """Surnames and patronymics recognised by their form wherever they stand."""
    for i in candidates:
        word = tokens[i][2]
        low = word.casefold()
        if low in PATRONYMIC_WORDS or word in ("ძე", "ასული"):
            span = _patronymic_pair(text, tokens, i)
            if span is not None:
                yield span
            continue
        if len(word) < 5 or not _is_surname_here(text, tokens, i):
            continue
        first = i
        if i > 0 and not _gap(text, tokens, i - 1).strip():
            before = tokens[i - 1][2]
            # "Şahin Mehdiyev"; before a patronymic any capitalised word is the given name
            # ("Тетяна Петрівна").
            if is_first_name(before) or (
                is_patronymic(word) and is_title(before) and not is_place(before)
            ):
                first = i - 1
        yield Found(tokens[first][0], _extend(text, tokens, i), "name")


def _is_surname_here(text: str, tokens: list[Token], i: int) -> bool:
    start, end, word = tokens[i]
    if is_patronymic(word):
        return is_title(word) or not _CYRILLIC.match(word) or "ович" in word or "евич" in word
    if surname_strength(word) != STRONG or is_place(word) or is_not_name(word):
        return False
    if ORG_AFTER.match(text, end):
        return False  # "Heydər Əliyev Mərkəzi", "Нариманов район"
    if _GEORGIAN.match(word):
        return True
    if not is_title(word):
        return stem_is_given_name(word)  # "memmedov", "мамедова": built on a given name
    if _CYRILLIC.match(word) and _is_sentence_start(text, start):
        return stem_is_given_name(word)  # "Часов пять нет света": a noun opening a sentence
    return True


def _patronymic_pair(text: str, tokens: list[Token], i: int) -> Found | None:
    """ "Həsən oğlu", "Гасан оглы", "გიორგის ძე": the father's name and the word for son or daughter."""
    if i == 0 or _gap(text, tokens, i - 1).strip():
        return None
    father = tokens[i - 1][2]
    if _GEORGIAN.match(father):
        ok = father.endswith("ის") and (
            is_first_name(father[:-2]) or (i >= 2 and is_first_name(tokens[i - 2][2]))
        )
    elif is_first_name(father):
        ok = True
    else:
        ok = (
            is_title(father)
            and not _GENITIVE.search(father)
            and not is_place(father)
            and not is_not_name(father)
        )
    if not ok:
        return None
    first = i - 1
    # "Rauf Həsən oğlu", "ირაკლი გიორგის ძე": the son's own name before the father's.
    if first > 0 and not _gap(text, tokens, first - 1).strip():
        before = tokens[first - 1][2]
        if is_first_name(before) or surname_strength(before) == STRONG:
            first -= 1
    return Found(tokens[first][0], _extend(text, tokens, i), "name")


def _is_sentence_start(text: str, pos: int) -> bool:
    i = pos
    while i > 0 and text[i - 1] in ' \t\r\n"«—–-':
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n"
