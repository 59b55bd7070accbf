"""Text folding: the same word typed with or without diacritics, or in another script, folds alike;
the variants share one letter table, and the inbox search's SQL translate() folds like Python."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import text

from fikir.i18n.detect_text import clean
from fikir.i18n.textfold import (
    AZ_CYRILLIC_LETTERS,
    AZ_CYRILLIC_TO_LATIN,
    AZ_PLAIN,
    SEARCH_FROM,
    SEARCH_TO,
    az_cyrillic_to_latin,
    fold,
    fold_latin,
    fold_token,
    latin_spellings,
    name_key,
    name_keys,
    name_to_latin,
    search_fold,
    to_latin,
)
from fikir.outbox.segments import to_gsm7_azerbaijani
from fikir.storage.engine import create_sync_db_engine
from fikir.tagging.normalize import split_words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Su təchizatı", "su techizati"),
        ("İŞ YERLƏRİ", "is yerleri"),
        ("ÇOX RAZIYAM", "cox raziyam"),
        ("Ağac, göl, üzüm, şəhər", "agac, gol, uzum, seher"),
        ("café naïve", "cafe naive"),
        ("ＡＢＣ２", "abc2"),
        ("Ёлка", "елка"),
        ("п’ять", "п'ять"),
        ("don`t", "don't"),
    ],
)
def test_fold_drops_case_and_diacritics(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_keeps_letters_whose_mark_is_part_of_the_letter() -> None:
    # й and ї are letters of their own in Russian and Ukrainian, not и/і with an accent.
    assert fold("Йод Київ") == "йод київ"
    assert fold("вісім") == "вісім"


def test_fold_unifies_the_ways_lezgian_palochka_is_typed() -> None:
    forms = {fold(w) for w in ("кӀуьд", "кIуьд", "к1уьд", "клуьд".replace("л", "l"), "КӀУЬД")}
    assert forms == {"кӏуьд"}


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Вода", "voda"),
        ("Дороги", "dorogi"),
        ("школа", "shkola"),
        ("Хорошо", "horosho"),
        ("щука", "schuka"),
        ("Київ", "kyyiv"),
        ("Гривні", "hryvni"),
        ("кӀвалах", "kvalah"),
        ("წყალი", "tsqali"),
        ("გზები", "gzebi"),
        ("ხუთი", "khuti"),
        ("Su təchizatı", "su techizati"),
    ],
)
def test_to_latin_writes_what_people_type(text: str, latin: str) -> None:
    assert to_latin(text) == latin


def test_latin_spellings_offer_ukrainian_and_georgian_keyboard_readings() -> None:
    assert "druhyy" in latin_spellings("другий")
    assert set(latin_spellings("წყალი")) >= {"tsqali", "wyali"}
    assert latin_spellings("Yollar") == ("yollar",)


@given(st.text())
def test_to_latin_is_always_lowercase_ascii(text: str) -> None:
    out = to_latin(text)
    assert out.isascii()
    assert out == out.lower()


@given(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs", "Po"))))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


# --- the variants against each other: one letter table, differences only where needed ---

# Plain letters no variant treats specially (no digraph letters h/y, none of q/x/j that names merge).
_PLAIN = "abdefiklmnoprtuvz"


@given(st.text(alphabet=_PLAIN + _PLAIN.upper(), min_size=1, max_size=20))
def test_every_variant_agrees_on_plain_ascii(word: str) -> None:
    assume(not re.search(r"(.)\1\1", word.lower()))  # the tagger cuts letters typed thrice
    lower = word.lower()
    assert {
        fold(word),
        to_latin(word),
        fold_token(word),
        search_fold(word),
        fold_latin(lower),
        name_key(word),
        name_key(word, "e"),
    } == {lower}


@pytest.mark.parametrize("letter", sorted(AZ_PLAIN))
def test_every_variant_folds_an_azerbaijani_letter_to_the_same_plain_letter(letter: str) -> None:
    plain = AZ_PLAIN[letter]
    capital = "İ" if letter == "i" else letter.upper()
    for typed in (letter, capital):
        assert fold(typed) == to_latin(typed) == fold_token(typed) == plain
        assert search_fold(typed) == plain
        assert fold_latin(typed.lower()) == plain
        assert name_key(typed, schwa="e") == {"x": "h", "q": "g", "j": "c"}.get(plain, plain)
    # The SMS spelling is output: it keeps case, and ö/ü, which GSM-7 has.
    assert to_gsm7_azerbaijani(letter).lower() in {plain, letter}


def test_the_sms_spelling_keeps_case_and_the_letters_gsm7_has() -> None:
    assert to_gsm7_azerbaijani("Şəhər İçərişəhər Ölkə Üzüm") == "Seher Iceriseher Ölke Üzüm"


def _sql_translate(value: str) -> str:
    """What SQL translate(value, SEARCH_FROM, SEARCH_TO) does: extra FROM characters are deleted."""
    table = {ch: SEARCH_TO[i] if i < len(SEARCH_TO) else "" for i, ch in enumerate(SEARCH_FROM)}
    return "".join(table.get(ch, ch) for ch in value)


_SEARCH_LETTERS = sorted(set(SEARCH_FROM) | {c.upper() for c in SEARCH_FROM} | {"İ", "I"})


def test_sql_search_strings_are_one_character_for_one() -> None:
    assert len(set(SEARCH_FROM)) == len(SEARCH_FROM)
    assert len(SEARCH_TO) == len(SEARCH_FROM) - 1  # only the combining dot is deleted
    for letter in _SEARCH_LETTERS:
        assert _sql_translate(letter.lower()) == search_fold(letter)


def test_postgres_translate_folds_exactly_as_python(postgres_url: str) -> None:
    engine = create_sync_db_engine(postgres_url)
    # Lower-case input: lower() itself is the database's (a C-collation database lowers only
    # ASCII); what must agree is the table, for every letter in it.
    letters = sorted(set(SEARCH_FROM))
    sample = "".join(letters) + " şəhər içərişəhər всё ёлка gänse"
    try:
        with engine.connect() as connection:
            for value in [*letters, sample]:
                folded = connection.execute(
                    text("SELECT translate(lower(:v), :f, :t)"),
                    {"v": value, "f": SEARCH_FROM, "t": SEARCH_TO},
                ).scalar_one()
                assert folded == search_fold(value), value
    finally:
        engine.dispose()


def test_search_finds_yo_written_as_ye_and_the_other_way() -> None:
    # The old search table turned ё into a Latin "e", so "все" never found "всё".
    assert search_fold("Всё") == search_fold("все") == "все"
    assert search_fold("Ёлка") == search_fold("елка")
    assert fold("всё") == fold_token("всё") == search_fold("всё")


@given(st.text(max_size=40))
def test_to_latin_of_a_folded_text_is_its_to_latin(value: str) -> None:
    assert to_latin(fold(value)) == to_latin(value)
    assert fold(to_latin(value)) == to_latin(value)


@pytest.mark.parametrize("letter", sorted(AZ_CYRILLIC_LETTERS))
def test_azerbaijani_cyrillic_folds_like_its_latin_twin(letter: str) -> None:
    latin = az_cyrillic_to_latin(letter)
    assert latin == AZ_CYRILLIC_TO_LATIN[letter]
    assert fold(letter) == fold(latin) == fold_latin(latin)
    assert name_keys(name_to_latin(letter)) == name_keys(latin)


@pytest.mark.parametrize(
    ("written", "latin"),
    [("Рәшад", "Rəşad"), ("Ҹавид", "Cavid"), ("Алёна", "Alyona"), ("Хәлил", "Xəlil")],
)
def test_a_cyrillic_name_meets_its_latin_spelling(written: str, latin: str) -> None:
    assert set(name_keys(name_to_latin(written))) & set(name_keys(latin))


# --- the variants' differences, each shown by the case that needs it --------------------------


def test_tagging_merges_ukrainian_yi_and_ghe_that_matching_keeps() -> None:
    # People without a Ukrainian keyboard type "іжа" for "їжа"; the tagger must still match...
    assert fold_token("їжа") == fold_token("іжа")
    assert fold_token("ґанок") == fold_token("ганок")
    # ...while poll matching keeps ї, because to_latin reads it as "yi" (Київ is "kyyiv").
    assert fold("Київ") != fold("Кіів")
    assert to_latin("Київ") == "kyyiv"


def test_tagging_drops_apostrophes_and_digraphs_that_matching_keeps() -> None:
    assert fold_token("noch'yu") == fold_token("nochʼyu") == "nocyu"
    assert fold("п’ять") == fold("п'ять") == "п'ять"
    assert fold_token("shəhər") == fold_token("şəhər") == "seher"
    assert fold("shəhər") != fold("şəhər")


def test_tagging_reads_latin_look_alikes_inside_cyrillic_words() -> None:
    assert fold_token("вoдa") == fold_token("вода")  # Latin o and a
    assert fold("вoдa") != fold("вода")


def test_name_keys_merge_consonants_that_other_folds_keep_apart() -> None:
    assert name_key("Xəlil") == name_key("Khalil") == name_key("Halil")
    assert name_key("Qasım") == name_key("Gasim")
    assert name_key("Cavid") == name_key("Javid")
    assert len({fold("Xəlil"), fold("Khalil"), fold("Halil")}) == 3
    assert set(name_keys("Rəşad")) == {name_key("Rashad"), name_key("Reshad")}


def test_detection_folds_only_the_digraphs_of_letters_with_diacritics() -> None:
    # "zh" and "kh" stay, because they are what marks Russian typed in Latin letters.
    assert fold_latin("ishsizlik") == fold_latin("işsizlik")
    assert fold_latin("zhizn") == "zhizn"
    assert fold_latin("khleb") == "khleb"
    assert fold_token("zhizn") == "jizn"


@pytest.mark.parametrize("typed", ["кIвал", "кlвал", "к1вал", "к|вал", "кӀвал"])
def test_tagging_and_detection_repair_the_palochka_alike(typed: str) -> None:
    assert split_words(typed) == [clean(typed)] == ["кӏвал"]
    assert fold(typed) == "кӏвал"
