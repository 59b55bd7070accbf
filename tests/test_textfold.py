"""Text folding: the same word typed with or without diacritics, or in another script, folds alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fikir.i18n.textfold import fold, latin_spellings, to_latin


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
