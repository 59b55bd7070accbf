"""Lexicon files, their syntax, folding and word matching."""

from __future__ import annotations

import pytest

from fikir.config.languages import LANGUAGE_CODES
from fikir.tagging.lexicon import (
    GOAL,
    IGNORE,
    SPAM,
    Entry,
    lexicon_files,
    parse_function_words,
    parse_lexicon,
)
from fikir.tagging.matcher import LexiconIndex
from fikir.tagging.normalize import fold_token, has_url, split_words, tokenize


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Xəstəxanaya", "xestexanaya"),
        ("İŞSİZLİK", "issizlik"),
        ("ishsizlik", "issizlik"),  # ASCII "sh" for ş
        ("çörəyi", "coreyi"),
        ("chorek", "corek"),
        ("Ёлка", "елка"),
        ("п'ять", "пять"),
        ("noch'yu", "nocyu"),
        ("zhenshchina", "jensina"),
        ("сoвет", "совет"),  # a Latin "o" typed inside a Cyrillic word
        ("suuuuu", "su"),
        ("ქართული", "ქართული"),
    ],
)
def test_fold_token(written: str, folded: str) -> None:
    assert fold_token(written) == folded


@pytest.mark.parametrize(
    "typed", ["кIвалах", "кlвалах", "к1валах", "кӀвалах", "кӏвалах", "к|валах"]
)
def test_every_way_of_typing_the_lezgian_palochka_is_one_letter(typed: str) -> None:
    assert tokenize(typed)[1] == ["кӏвалах"]


def test_split_words_keeps_apostrophes_and_splits_hyphens() -> None:
    assert split_words("mal-qara b'et, 2024-cü il!") == ["mal", "qara", "b'et", "cü", "il"]
    assert has_url("bax: https://t.me/xyz") and not has_url("su yoxdur")


def _index(text: str, lang: str = "az") -> LexiconIndex:
    return LexiconIndex(parse_lexicon(text, lang))


def _found(
    index: LexiconIndex, text: str, allowed: object = None
) -> list[tuple[str, tuple[str, ...]]]:
    words, folded = tokenize(text)
    hits = index.find(words, folded, lambda entry: True)
    return [(hit.entry.term, hit.words) for hit in hits]


def test_weights_syntax() -> None:
    [entry] = parse_lexicon("@goal 13\nsel+ | 0.5 11:0.4 16\n", "az")
    assert entry.section == GOAL
    assert dict(entry.weights) == {13: 0.5, 11: 0.4, 16: 1.0}
    [spam] = parse_lexicon("@spam\nkazino* | 0.7\n", "az")
    assert spam.section == SPAM and spam.weights == ((0, 0.7),)
    [ignored] = parse_lexicon("@ignore\nsalam\n", "az")
    assert ignored.section == IGNORE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("su+\n", "before any @section"),
        ("@goal 18\nsu\n", "goal must be 1-17"),
        ("@goal 6\nsu | 0.5 19:1\n", "not an SDG"),
        ("@goal 6\nsu | lots\n", "bad weight"),
    ],
)
def test_mistakes_in_a_lexicon_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        parse_lexicon(text, "az", "az.txt")
    assert "az.txt:" in str(error.value)


def test_stem_plus_takes_only_inflections() -> None:
    index = _index("@goal 6\nsu+\n")
    for word in ("su", "suyu", "suyumuz", "sudan", "sular", "suyun", "susuz"):
        assert _found(index, word), word
    for word in ("sual", "sutka", "Shusha", "sumqayit"):
        assert not _found(index, word), word


def test_turkic_stems_match_their_softened_forms() -> None:
    index = _index("@goal 7\nişıq+\n@goal 2\nçörək+\n")
    assert _found(index, "işığı yoxdur") and _found(index, "ishigi")
    assert _found(index, "çörəyi bahadır")


def test_slavic_georgian_and_lezgian_endings() -> None:
    assert _found(LexiconIndex(parse_lexicon("@goal 4\nшкол+\n", "ru")), "школы школе школами")
    assert not _found(LexiconIndex(parse_lexicon("@goal 4\nшкол+\n", "ru")), "школьник")
    ka = LexiconIndex(parse_lexicon("@goal 6\nწყალ+\n@goal 15\nტყ+\n", "ka"))
    assert len(_found(ka, "წყალი წყალს ტყეში")) == 3
    lez = LexiconIndex(parse_lexicon("@goal 9\nрехъ+\n", "lez"))
    assert _found(lez, "рехъ") and _found(lez, "рехъда")


def test_phrases_allow_a_few_words_between_and_claim_their_words() -> None:
    index = _index("@goal 1\nqiymətlər art*\n@goal 8\nart*  | 0.1\n")
    assert _found(index, "qiymətlər yenə çox artıb") == [("qiymətlər art*", ("qiymətlər", "artıb"))]
    assert ("art*", ("artıb",)) in _found(index, "qiymətlər bir iki üç dörd artıb")


def test_longest_stem_decides_what_a_word_means() -> None:
    index = _index("@goal 6\nsu+\n@goal 2\nsuvarma* | 6:0.9\n@goal 14\nkürü\n@goal 6\nkür+\n")
    assert _found(index, "suvarmanı") == [("suvarma*", ("suvarmanı",))]
    assert _found(index, "kürü") == [("kürü", ("kürü",))]
    assert _found(index, "kürün") == [("kür+", ("kürün",))]


def test_typo_tolerance_is_limited_to_long_stems_and_real_inflections() -> None:
    index = _index("@goal 3\nxəstəxana*\n@goal 15\nqoruq*\n")
    assert _found(index, "xestexanda")  # one extra letter
    assert _found(index, "xəsdəxanaya")  # one wrong letter, then an inflection
    assert not _found(index, "xstexana")  # the first letters are kept
    assert not _found(index, "qorxuruq")  # stems under six letters get no tolerance
    strict = LexiconIndex(parse_lexicon("@goal 3\nxəstəxana*\n", "az"), typos=False)
    assert not _found(strict, "xestexanda")


def test_restricted_entries_are_marked() -> None:
    [entry] = parse_lexicon("@goal 8\niş! | 0.9\n", "az")
    assert entry.restricted and entry.keys == ("is",)


@pytest.fixture(scope="module")
def shipped() -> dict[str, tuple[list[Entry], set[str]]]:
    loaded: dict[str, tuple[list[Entry], set[str]]] = {}
    for lang, path in lexicon_files():
        text = path.read_text(encoding="utf-8")
        loaded[lang] = (parse_lexicon(text, lang, str(path)), parse_function_words(text))
    return loaded


def test_a_lexicon_ships_for_every_language(
    shipped: dict[str, tuple[list[Entry], set[str]]],
) -> None:
    assert set(shipped) == set(LANGUAGE_CODES)
    for lang, (_, function_words) in shipped.items():
        assert len(function_words) >= 10, lang


@pytest.mark.parametrize("lang", ["az", "ru", "en", "uk", "ka"])
def test_major_languages_cover_all_17_goals(
    shipped: dict[str, tuple[list[Entry], set[str]]], lang: str
) -> None:
    entries, _ = shipped[lang]
    covered = {goal for entry in entries if entry.section == GOAL for goal, _ in entry.weights}
    assert covered == set(range(1, 18))


@pytest.mark.parametrize(
    ("lang", "goals"), [("tly", {3, 5, 6, 8, 14}), ("lez", {3, 4, 5, 6, 7, 8, 9, 14, 16})]
)
def test_minority_languages_have_their_own_words_for_common_complaints(
    shipped: dict[str, tuple[list[Entry], set[str]]], lang: str, goals: set[int]
) -> None:
    # Talysh and Lezgian writers also use Azerbaijani and Russian words, matched by those lexicons.
    entries, _ = shipped[lang]
    covered = {goal for entry in entries if entry.section == GOAL for goal, _ in entry.weights}
    assert goals <= covered
