"""Surname and patronymic shapes per language, so that a name is known by its ending, not by a list."""

from __future__ import annotations

import re
from functools import lru_cache

from fikir.privacy.redact_lexicon import is_first_name, is_place

# How sure an ending makes us that a word is a surname.
NONE, WEAK, STRONG = 0, 1, 2

# Azerbaijani, Talysh and transliterated case endings after a surname (Rəhimovun, Quliyevdən,
# Əliyevə, Hüseynzadədir, Quliyevlər, Ibrahimov's).
_AZ_CASE = (
    r"(?:n[ıiuü]n|[ıiuü]n|n[ıiuü]|y[aəe]|[ıiuü]|[aəe]|d[aəe]n|t[aəe]n|d[aəe]|t[aəe]|l[aəe]|"
    r"d[ıiuü]r|t[ıiuü]r|d[aəe]k[ıi]|l[aəe]r|l[aəe]rin|s)"
)
# Russian, Ukrainian and Lezgian case endings (Мамедовой, Гусейнову, Эфендиеван, Гьажиевди).
_CY_CASE = r"(?:а|у|ым|ом|е|ой|ою|ых|ыми|ы|ан|ди|аз|ал|ни|ра|і|им)?"
_KA_CASE = r"(?:ი|ის|ს|მა|მ|ით|ად|ო|ზე|თან|ში|ისთვის|ე|ეს|ემ|ედ|ევ|ა|ას|ამ)?"

_STRONG = re.compile(
    rf"(?i:(?P<lat>[oö]v|(?<=[aeiouıəy])ev|zad[əea]|zod[əea])(?:a|ə)?{_AZ_CASE}?"
    rf"|(?P<cy>[оеё]в|заде|зода)(?:а|я)?{_CY_CASE}|енко|enko"
    r"|(?P<ka>შვილ(?:ი|ის|ს|მა|ით|ად|ო)|ძ(?:ე|ის|ეს|ემ|ით|ედ)))$"
)
# Endings that are also common words' endings (Masallı, магазин, звук, міський, ცუდია):
# a surname only where a role word, a cue or a given name says so.
_WEAK = re.compile(
    rf"(?i:(?:l[ıiuü]|chuk|yuk|uk|sk[iy]y?|ska(?:ya)?|shvili|dze|yan){_AZ_CASE}?"
    r"|(?:ин|ын)(?:а|у|ым|ом|е|ой|ою|ых|ыми|ы)?|(?:ск|цк)(?:ий|ая|ого|ому|им|ой|ую|ом)"
    r"|(?:ськ|цьк)(?:ий|а|ого|ому|им|ої|у|ій)|(?:ч|щ)?[ую]к(?:а|у|ом|ові)?|ян|ли|лы|ко"
    r"|(?:ი|უ)ა(?:ს|მ|მა|ის)?|ავა(?:ს|მ)?|ური(?:ს|მ)?|ანი(?:ს|მ)?|(?:ოვ|ევ)(?:ი|ის|ს|მა|ა|ას|ამ)"
    r")$"
)
_PATRONYMIC = re.compile(
    r"(?i:(?:ovich|evich|ovna|evna|ichna|ivna)(?:a|u|em|om|e|oy)?"
    r"|(?:ович|евич|йович|овна|евна|ична|инична|івна|ївна)(?:а|у|ем|ом|е|ой|ы|и|ою|і)?"
    r"|(?:ოვიჩ|ევიჩ|ოვნა|ევნა)(?:ი|ის|ს|მა)?)$"
)
# The word after a father's name: "Həsən oğlu", "Гасан оглы", "Əli qızı".
PATRONYMIC_WORDS = frozenset(
    "oğlu oglu ogly oğlı ogli qızı qizi kızı kizi gizi оглы оглу огли кызы гызы къизи".split()
)
# Words with a surname's ending that are everyday words (gen. plurals, short adjectives, verbs).
_NOT_SURNAMES = frozenset(
    """
    часов домов годов районов городов заводов садов столов врагов долгов итогов уроков
    налогов товаров рейсов метров литров манатов долларов процентов учеников студентов
    документов продуктов магазинов автобусов педагогов врачей месяцев рублев готов готова
    здоров здорова суров сурова основа основ голова слова снова остров острова покров улов
    дров кров плов бестолков толков chasov domov godov gotov gotova zdorov snova slova osnova
    golova manatov dollarov qonaqevi ucun учун гамова гамов амова გამოვა ამოვა მოვა წავა
    შვილიშვილი შვილიშვილის
    """.split()
)
# Georgian predicates ("it is good") end like -ia surnames.
_KA_PREDICATES = frozenset(
    "კარგია ცუდია ძვირია იაფია რთულია ძნელია ახალია ძველია ცივია ცხელია მაღალია დაბალია "
    "აუცილებელია შეუძლებელია მნიშვნელოვანია საშინელია ცოტაა ბევრია სწორია".split()
)
_STEM_MIN = 3


@lru_cache(maxsize=8192)
def surname_strength(word: str) -> int:
    """STRONG for "Rəhimovdan", "Мамедовой", "ხუციშვილმა"; WEAK for "Nəsirli", "Шевчук"; else NONE."""
    best = NONE
    for part in re.split(r"['’ʼ\-]", word):
        if len(part) < 4:
            continue
        lower = part.casefold()
        if lower in _NOT_SURNAMES or lower in _KA_PREDICATES or is_place(part):
            continue
        m = _STRONG.search(part)
        if m is not None and m.start() >= _STEM_MIN:
            return STRONG
        m = _WEAK.search(part)
        if m is not None and m.start() >= _STEM_MIN:
            best = WEAK
    return best


@lru_cache(maxsize=8192)
def is_patronymic(word: str) -> bool:
    """ "Ильхамович", "Петрівна", "Rashidovich": a patronymic written as one word."""
    m = _PATRONYMIC.search(word)
    return m is not None and m.start() >= _STEM_MIN and not is_place(word)


@lru_cache(maxsize=8192)
def stem_is_given_name(word: str) -> bool:
    """ "memmedov", "Мамедова", "hesenli": a surname built on a given name, in any case."""
    m = _STRONG.search(word) or _WEAK.search(word)
    if m is None or m.start() < _STEM_MIN:
        return False
    stem = word[: m.start()]
    candidates = {stem, stem[:-1] if stem[-1:].lower() in "yй" else stem}
    return any(is_first_name(c) for c in candidates if len(c) >= _STEM_MIN)
