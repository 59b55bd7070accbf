"""match_option: which option a reply picks, in every language and script, or None."""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from fikir.polls.matching import OptionMatcher, match_option, matcher_for

DATA = Path(__file__).parent / "data" / "polls"
PRIORITIES_AZ = ["Su təchizatı", "Yollar", "İş yerləri", "Məktəblər"]
PRIORITIES_RU = ["Водоснабжение", "Дороги", "Работа", "Школы"]
PRIORITIES_EN = ["Water supply", "Roads", "Jobs", "Schools"]
PRIORITIES_KA = ["წყალი", "გზები", "სამუშაო", "სკოლები"]
YES_NO_AZ = ["Bəli", "Xeyr"]
SATISFACTION_RU = ["Доволен", "Частично доволен", "Недоволен"]
SATISFACTION_EN = ["Satisfied", "Partly satisfied", "Dissatisfied"]


def _split_of(poll: str, lang: str, reply: str) -> str:
    """The fixed dev/held-out split (same rule as bench/polls.py)."""
    digest = hashlib.sha256(f"{poll}|{lang}|{reply}".encode()).hexdigest()
    return "held-out" if int(digest[:8], 16) % 10 < 3 else "dev"


def _cases() -> list[tuple[str, str, str, int | None, tuple[tuple[str, ...], ...]]]:
    polls = yaml.safe_load((DATA / "polls.yaml").read_text(encoding="utf-8"))
    rows = yaml.safe_load((DATA / "replies.yaml").read_text(encoding="utf-8"))["cases"]
    out = []
    for poll, lang, reply, pick in rows:
        options = tuple((o,) if isinstance(o, str) else tuple(o) for o in polls[poll]["options"])
        out.append((poll, lang, reply, None if pick is None else pick - 1, options))
    return out


CASES = _cases()


def test_labelled_set_is_broad() -> None:
    assert len(CASES) >= 150
    per_lang = Counter(lang for _, lang, _, _, _ in CASES)
    assert set(per_lang) == {"az", "ru", "en", "tly", "lez", "ka", "uk"}
    assert min(per_lang.values()) >= 20
    nothing = sum(1 for c in CASES if c[3] is None) / len(CASES)
    assert 0.2 <= nothing <= 0.35
    held = sum(1 for c in CASES if _split_of(c[0], c[1], c[2]) == "held-out") / len(CASES)
    assert 0.2 <= held <= 0.4


@pytest.mark.parametrize("split", ["held-out", "all"])
def test_accuracy_on_labelled_replies(split: str) -> None:
    part = [c for c in CASES if split == "all" or _split_of(c[0], c[1], c[2]) == split]
    wrong = [(c[0], c[2], c[3]) for c in part if match_option(c[2], c[4], c[1]) != c[3]]
    assert 1 - len(wrong) / len(part) >= 0.97, wrong


def test_accuracy_per_language() -> None:
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for _poll, lang, reply, expected, options in CASES:
        by_lang[lang].append(match_option(reply, options, lang) == expected)
    for lang, results in by_lang.items():
        assert sum(results) / len(results) >= 0.93, lang


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("2", 1),
        (" 2 ", 1),
        ("2)", 1),
        ("2.", 1),
        ("#2", 1),
        ("№2", 1),
        ("2️⃣", 1),
        ("２", 1),
        ("٢", 1),
        ("۲", 1),
        ("②", 1),
        ("2-ci", 1),
        ("2ci variant", 1),
        ("variant 2", 1),
        ("cavab: 3", 2),
        ("4!", 3),
    ],
)
def test_digits_in_any_form(reply: str, expected: int) -> None:
    assert match_option(reply, PRIORITIES_AZ) == expected


@pytest.mark.parametrize(
    ("reply", "options", "expected"),
    [
        ("iki", PRIORITIES_AZ, 1),
        ("ikinci", PRIORITIES_AZ, 1),
        ("ikincisi", PRIORITIES_AZ, 1),
        ("üçüncü", PRIORITIES_AZ, 2),
        ("ucuncu", PRIORITIES_AZ, 2),
        ("два", PRIORITIES_RU, 1),
        ("второй", PRIORITIES_RU, 1),
        ("вторую", PRIORITIES_RU, 1),
        ("vtoroj", PRIORITIES_RU, 1),
        ("vtaroy", PRIORITIES_RU, 1),
        ("ikinji", PRIORITIES_AZ, 1),
        ("третий вариант", PRIORITIES_RU, 2),
        ("two", PRIORITIES_EN, 1),
        ("second", PRIORITIES_EN, 1),
        ("the second one", PRIORITIES_EN, 1),
        ("3rd", PRIORITIES_EN, 2),
        ("другий", PRIORITIES_RU, 1),
        ("друга", PRIORITIES_RU, 1),
        ("მეორე", PRIORITIES_KA, 1),
        ("meore", PRIORITIES_KA, 1),
        ("ორი", PRIORITIES_KA, 1),
        ("кьвед", PRIORITIES_RU, 1),
        ("кьвед лагьай", PRIORITIES_RU, 1),
        ("last", PRIORITIES_EN, 3),
        ("sonuncu", PRIORITIES_AZ, 3),
    ],
)
def test_number_and_ordinal_words(reply: str, options: list[str], expected: int) -> None:
    assert match_option(reply, options) == expected


def test_talysh_short_numbers_need_the_talysh_language() -> None:
    # "dı" (2) and "se" (3) are Talysh numbers, but too short to trust without knowing the language.
    assert match_option("dı", PRIORITIES_AZ, "tly") == 1
    assert match_option("se", PRIORITIES_AZ, "tly") == 2
    assert match_option("se", PRIORITIES_AZ) is None


@pytest.mark.parametrize(
    ("reply", "expected"),
    [("B", 1), ("b", 1), ("b)", 1), ("(c)", 2), ("a", 0), ("б", 1), ("в", 2), ("variant b", 1)],
)
def test_letters_in_a_short_list(reply: str, expected: int) -> None:
    assert match_option(reply, PRIORITIES_EN) == expected


def test_letters_beyond_the_list_or_in_long_lists_pick_nothing() -> None:
    assert match_option("f", PRIORITIES_EN) is None
    many = [f"Option {i}" for i in range(12)]
    assert match_option("b", many) is None


@pytest.mark.parametrize(
    ("reply", "options", "expected"),
    [
        ("Yollar", PRIORITIES_AZ, 1),
        ("yolar", PRIORITIES_AZ, 1),
        ("yolumuz", PRIORITIES_AZ, 1),
        ("su techizati", PRIORITIES_AZ, 0),
        ("suyumuz yoxdur", PRIORITIES_AZ, 0),
        ("isyerleri", PRIORITIES_AZ, 2),
        ("mekdeb", PRIORITIES_AZ, 3),
        ("Bizim kənddə ən çox yollar pisdir", PRIORITIES_AZ, 1),
        ("voda", PRIORITIES_RU, 0),
        ("dorogi", PRIORITIES_RU, 1),
        ("shkoly", PRIORITIES_RU, 3),
        ("работы нет вообще", PRIORITIES_RU, 2),
        ("Все дороги разбиты", PRIORITIES_RU, 1),
        ("в первую очередь работа", PRIORITIES_RU, 2),
        ("watr", PRIORITIES_EN, 0),
        ("Definitely roads, they are terrible", PRIORITIES_EN, 1),
        ("tsqali", PRIORITIES_KA, 0),
        ("wyali", PRIORITIES_KA, 0),
        ("gzebi", PRIORITIES_KA, 1),
        ("გზა", PRIORITIES_KA, 1),
        ("3. Çünki yollarımız pisdir", PRIORITIES_AZ, 2),
    ],
)
def test_option_text_typos_inflections_and_other_scripts(
    reply: str, options: list[str], expected: int
) -> None:
    assert match_option(reply, options) == expected


@pytest.mark.parametrize(
    "reply",
    [
        "1 and 3",
        "1,2",
        "1-2",
        "both",
        "all of them",
        "none",
        "I don't know",
        "bilmirəm",
        "bilmirem",
        "не знаю",
        "არ ვიცი",
        "?",
        "",
        "   ",
        "hello",
        "10",
        "0",
        "5",
        "not 2",
        "не второй",
        "2 yox",
        "ikinci deyil",
        "water and roads",
        "su və yollar",
        "hamısı vacibdir",
        "Salam, sorğu nə vaxt bitəcək?",
        "The mayor never answers our letters",
        "Mən 25 yaşındayam",
        "yes",
        "text message",
    ],
)
def test_replies_that_choose_nothing_or_several(reply: str) -> None:
    options = PRIORITIES_EN if reply.isascii() else PRIORITIES_AZ
    if any("\u0400" <= ch <= "\u04ff" for ch in reply):
        options = PRIORITIES_RU
    assert match_option(reply, options) is None


def test_a_correction_keeps_the_option_that_is_not_negated() -> None:
    assert match_option("ikinci yox, üçüncü", PRIORITIES_AZ) == 2
    assert match_option("su deyil, yollar", PRIORITIES_AZ) == 1


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("he", 0),
        ("hə", 0),
        ("bəli", 0),
        ("beli", 0),
        ("yox", 1),
        ("xeyr", 1),
        ("да", 0),
        ("нет", 1),
        ("net", 1),
        ("yes", 0),
        ("no", 1),
        ("так", 0),
        ("ні", 1),
        ("კი", 0),
        ("არა", 1),
        ("эхь", 0),
        ("nə", 1),
        ("конечно нет", 1),
        ("не хочу", 1),
        ("bəli və xeyr", None),
        ("bilmirəm", None),
    ],
)
def test_yes_and_no_in_every_language(reply: str, expected: int | None) -> None:
    assert match_option(reply, YES_NO_AZ) == expected


def test_yes_and_no_words_do_not_pick_ordinary_options() -> None:
    assert match_option("yes", PRIORITIES_EN) is None
    assert match_option("да", PRIORITIES_RU) is None


@pytest.mark.parametrize(
    ("reply", "options", "expected"),
    [
        ("не доволен", SATISFACTION_RU, 2),
        ("недовольна", SATISFACTION_RU, 2),
        ("довольна", SATISFACTION_RU, 0),
        ("частично", SATISFACTION_RU, 1),
        ("not satisfied", SATISFACTION_EN, 2),
        ("unsatisfied", SATISFACTION_EN, 2),
        ("partly", SATISFACTION_EN, 1),
        ("razı deyiləm", ["Razıyam", "Qismən razıyam", "Narazıyam"], 2),
        ("çox razıyam", ["Çox razıyam", "Razıyam", "Narazıyam"], 0),
        ("razıyam", ["Çox razıyam", "Razıyam", "Narazıyam"], 1),
    ],
)
def test_satisfaction_scales_and_negated_labels(
    reply: str, options: list[str], expected: int
) -> None:
    assert match_option(reply, options) == expected


def test_an_option_that_is_itself_none_or_dont_know_can_be_picked() -> None:
    options = ["Xəstəxana", "Aptek", "Heç biri"]
    assert match_option("heç biri", options) == 2
    assert match_option("Bilmirəm", ["Bəli", "Xeyr", "Bilmirəm"]) == 2


def test_options_with_labels_in_several_languages() -> None:
    options = [
        ["Su", "Вода", "Water", "წყალი"],
        ["Qaz", "Газ", "Gas", "გაზი"],
        ["İnternet", "Интернет", "Internet", "ინტერნეტი"],
    ]
    assert match_option("вода", options) == 0
    assert match_option("gazi", options) == 1
    assert match_option("интернета нет", options) == 2
    assert match_option("su", tuple(tuple(o) for o in options)) == 0
    assert match_option("вода и газ", options) is None


def test_matchers_are_cached_per_poll() -> None:
    first = matcher_for(tuple((o,) for o in PRIORITIES_AZ))
    assert first is matcher_for(tuple((o,) for o in PRIORITIES_AZ))
    assert isinstance(first, OptionMatcher)
    assert first.match("yollar") == 1


def test_digit_replies_are_fast() -> None:
    replies = ["2", " 3 ", "1)", "4.", "#2", "２"] * 4000
    start = time.perf_counter()
    for reply in replies:
        match_option(reply, PRIORITIES_AZ)
    rate = len(replies) / (time.perf_counter() - start)
    assert rate >= 20_000
