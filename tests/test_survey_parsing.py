"""Everyday replies to multiple-choice, number and rating questions, in several languages."""

from __future__ import annotations

import pytest

from fikir.surveys.kinds import Kind, Parsed, Problem, Question, parse

CHOICES = (
    {"az": "Su", "ru": "Вода", "en": "Water", "uk": "Вода", "ka": "წყალი"},
    {"az": "Yollar", "ru": "Дороги", "en": "Roads", "uk": "Дороги", "ka": "გზები"},
    {"az": "Məktəb", "ru": "Школа", "en": "School", "uk": "Школа", "ka": "სკოლა"},
    {"az": "İş yerləri", "ru": "Работа", "en": "Jobs", "uk": "Робота", "ka": "სამუშაო"},
)
MULTIPLE = Question(0, Kind.MULTIPLE, {"en": "Which?"}, CHOICES)
NUMBER = Question(1, Kind.NUMBER, {"en": "How many?"}, min_value=0, max_value=120)
OPEN_NUMBER = Question(2, Kind.NUMBER, {"en": "How many?"})
RATING = Question(3, Kind.RATING, {"en": "How good?"})


@pytest.mark.parametrize(
    ("reply", "lang", "expected"),
    [
        ("1 3", "az", (0, 2)),
        ("1,3", "ru", (0, 2)),
        ("1, 3", "en", (0, 2)),
        ("1;4", "uk", (0, 3)),
        ("3 1", "az", (2, 0)),
        ("1 1 3", "az", (0, 2)),  # once each
        ("2", "ka", (1,)),
        ("1️⃣ 3️⃣", "ru", (0, 2)),  # keycap digits
        ("１ ３", "ru", (0, 2)),  # full-width digits
        ("bir və üç", "az", (0, 2)),
        ("iki ve dörd", "az", (1, 3)),
        ("один и три", "ru", (0, 2)),
        ("два, четыре", "ru", (1, 3)),
        ("one and three", "en", (0, 2)),
        ("два та три", "uk", (1, 2)),
        ("ერთი და სამი", "ka", (0, 2)),
        ("su, yollar", "az", (0, 1)),
        ("su və məktəb", "az", (0, 2)),
        ("вода и дороги", "ru", (0, 1)),
        ("Вода, школа, работа", "ru", (0, 2, 3)),
        ("water and roads", "en", (0, 1)),
        ("Su VƏ Yollar", "az", (0, 1)),
        ("წყალი, გზები", "ka", (0, 1)),
    ],
)
def test_multiple_choice_everyday_replies(reply: str, lang: str, expected: tuple[int, ...]) -> None:
    assert parse(MULTIPLE, reply, lang) == Parsed(expected)


@pytest.mark.parametrize(
    ("reply", "lang"),
    [
        ("1 7", "az"),  # no seventh choice: nothing is guessed
        ("0", "ru"),
        ("bilmirəm", "az"),
        ("вода и газ", "ru"),  # one part names no choice
        ("", "en"),
        ("??", "en"),
    ],
)
def test_multiple_choice_refuses_what_it_cannot_read(reply: str, lang: str) -> None:
    assert parse(MULTIPLE, reply, lang).problem == Problem.UNREADABLE


@pytest.mark.parametrize(
    ("reply", "lang", "expected"),
    [
        ("17", "az", 17),
        (" 3 ", "en", 3),
        ("3 uşaq", "az", 3),
        ("5 saat", "az", 5),
        ("около 8 часов", "ru", 8),
        ("iki", "az", 2),
        ("on iki", "az", 12),
        ("iyirmi beş", "az", 25),
        ("пять", "ru", 5),
        ("двадцать пять", "ru", 25),
        ("пятнадцать лет", "ru", 15),
        ("п'ять", "uk", 5),
        ("двадцять один", "uk", 21),
        ("twenty five", "en", 25),
        ("seventeen", "en", 17),
        ("სამი", "ka", 3),
        ("٧", "az", 7),  # Arabic-Indic digit
        ("0", "ru", 0),
    ],
)
def test_number_everyday_replies(reply: str, lang: str, expected: int) -> None:
    assert parse(NUMBER, reply, lang) == Parsed((expected,))


@pytest.mark.parametrize(
    ("reply", "lang", "problem"),
    [
        ("2 və ya 3", "az", Problem.UNREADABLE),  # two numbers: which one?
        ("bilmirəm", "az", Problem.UNREADABLE),
        ("3.5", "en", Problem.UNREADABLE),
        ("150", "ru", Problem.RANGE),
        ("-3", "en", Problem.RANGE),
    ],
)
def test_number_problems(reply: str, lang: str, problem: Problem) -> None:
    assert parse(NUMBER, reply, lang).problem == problem


def test_a_number_without_bounds_takes_any_whole_number() -> None:
    assert parse(OPEN_NUMBER, "1500", "en") == Parsed((1500,))
    assert parse(OPEN_NUMBER, "-2", "en") == Parsed((-2,))


@pytest.mark.parametrize(
    ("reply", "lang", "expected"),
    [("4", "az", 4), ("beş", "az", 5), ("три", "ru", 3), ("⭐⭐⭐⭐", "en", 4), ("1", "ka", 1)],
)
def test_rating_replies(reply: str, lang: str, expected: int) -> None:
    assert parse(RATING, reply, lang) == Parsed((expected,))


@pytest.mark.parametrize("reply", ["6", "0", "⭐⭐⭐⭐⭐⭐"])
def test_a_rating_outside_one_to_five_is_asked_again(reply: str) -> None:
    assert parse(RATING, reply, "en").problem == Problem.RANGE
