"""The tagger's public API and the `fikir tag` JSON-lines contract."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

import fikir.tagging
from fikir.tagging import GoalScore, Tagger, TagResult, explain, run_jsonl, tag
from fikir.tagging import tagger as tagger_module


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.load()


@pytest.fixture(autouse=True)
def no_detector(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Behave as if fikir.i18n.detect did not exist (its own tests cover it; tests below that
    are about detection install a fake one)."""
    monkeypatch.setattr(tagger_module, "_detector", None)
    monkeypatch.setattr(tagger_module, "_detector_missing", True)
    yield


@pytest.fixture
def fixed_detector(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A detector that always answers "az" and records what it was asked."""
    asked: list[str] = []

    def detect(text: str) -> str | None:
        asked.append(text)
        return "az"

    monkeypatch.setattr(tagger_module, "_detector", detect)
    monkeypatch.setattr(tagger_module, "_detector_missing", False)
    yield asked


@pytest.mark.parametrize(
    ("text", "lang", "goal"),
    [
        ("Bizim kənddə 3 gündür su yoxdur", "az", 6),
        ("salam kendde su yoxdu 1 hefdedi", "az", 6),
        ("В селе неделю нет воды", "ru", 6),
        ("v sele net vody uzhe 5 dnei", "ru", 6),
        ("Our village has had no running water for a week", "en", 6),
        ("Чи хуьре яд авач", "lez", 6),
        ("Çəmə diədə ov ni", "tly", 6),
        ("სოფელში წყალი არ მოდის", "ka", 6),
        ("У селі немає води", "uk", 6),
        ("ishiq yoxdu sabahdan", "az", 7),
        ("svet otklyuchili opyat", "ru", 7),
        ("zarplatu ne platyat 2 mesyaca", "ru", 8),
        ("Жегьилриз кIвалах авач", "lez", 8),
        ("polis rushvet alir", "az", 16),
    ],
)
def test_water_power_work_and_bribes_in_every_language(
    tagger: Tagger, text: str, lang: str, goal: int
) -> None:
    result = tagger.tag(text, lang)
    assert result.goals and result.goals[0].goal == goal
    assert result.lang == lang


@pytest.mark.parametrize(
    "text",
    [
        "Salam, necəsiniz?",
        "test",
        "Спасибо за ваш труд!",
        "Thanks a lot",
        "Bu bot nə işə yarayır?",
        "მადლობა!",
        "ok",
    ],
)
def test_greetings_thanks_and_tests_get_no_goal(tagger: Tagger, text: str) -> None:
    assert tagger.tag(text).goals == ()
    assert tagger.tag(text).priority_areas == ()


@pytest.mark.parametrize(
    "text",
    [
        "Заработай 500$ в день без вложений! Пиши в директ",
        "Win an iPhone! Click the link and claim your prize now",
        "Kredit lazımdır? Zəng edin, faizsiz",
    ],
)
def test_advertising_gets_no_goal_even_when_it_mentions_money_or_work(
    tagger: Tagger, text: str
) -> None:
    assert tagger.tag(text).goals == ()


def test_goals_come_most_relevant_first_with_scores_in_range(tagger: Tagger) -> None:
    result = tagger.tag("Qadınlar üçün rayonda heç bir iş yeri yoxdur, qadınlar evdə oturur", "az")
    assert {g.goal for g in result.goals} == {5, 8}
    scores = [g.score for g in result.goals]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert isinstance(result, TagResult) and all(isinstance(g, GoalScore) for g in result.goals)


def test_two_goals_of_one_message_map_to_their_priority_areas(tagger: Tagger) -> None:
    result = tagger.tag("Соседка терпит побои от мужа, ей некуда идти", "ru")
    assert set(result.goal_numbers) == {5, 16}
    # UNSDCF 2021-2025: goal 5 -> area 4 (gender), goal 16 -> area 2 (institutions)
    assert set(result.priority_areas) == {2, 4}
    assert result.priority_areas[0] == tagger.framework.areas_for_goal(result.goal_numbers[0])[0]


def test_explain_names_the_words_behind_each_assigned_goal(tagger: Tagger) -> None:
    words = tagger.explain("Xəstəxanada həkim yoxdur, yollar da bərbaddır", "az")
    assert set(words) == {3, 9}
    assert "həkim" in words[3] and "Xəstəxanada" in words[3]
    assert "yollar" in words[9]


def test_longer_stem_wins_so_irrigation_is_agriculture_not_only_water(tagger: Tagger) -> None:
    result = tagger.tag("Suvarma kanalları quruyub", "az")
    assert 2 in result.goal_numbers


def test_a_word_of_another_language_in_the_message_still_counts(tagger: Tagger) -> None:
    # Azerbaijani with Russian loans, as people write
    assert 7 in tagger.tag("Kenddə svet 2 gündü yoxdu", "az").goal_numbers
    assert 8 in tagger.tag("Zarplatanı gecikdirirlər", "az").goal_numbers


def test_guarded_words_do_not_fire_in_another_language(tagger: Tagger) -> None:
    # "is" is Azerbaijani "iş" (work) typed without ş, and an English verb
    assert 8 not in tagger.tag("The school is closed and there is no teacher", "en").goal_numbers
    assert 8 in tagger.tag("is yoxdu kendde", "az").goal_numbers


def test_a_typo_in_a_long_word_is_forgiven(tagger: Tagger) -> None:
    assert tagger.tag("xestexanda hekim yoxdu").goal_numbers == (3,)
    assert 7 in tagger.tag("elektirik yoxdur", "az").goal_numbers


def test_lang_hint_is_reported_and_detector_is_not_called(
    tagger: Tagger, fixed_detector: list[str]
) -> None:
    assert tagger.tag("su yoxdur", "tly").lang == "tly"
    assert fixed_detector == []


def test_without_hint_the_i18n_detector_decides_the_reported_lang(
    tagger: Tagger, fixed_detector: list[str]
) -> None:
    result = tagger.tag("Bizim kənddə su yoxdur")
    assert result.lang == "az" and fixed_detector == ["Bizim kənddə su yoxdur"]


def test_without_detector_module_all_lexicons_still_apply(
    tagger: Tagger, no_detector: None
) -> None:
    result = tagger.tag("В школе не хватает учителей")
    assert result.lang is None
    assert result.goal_numbers == (4,)


def test_module_level_functions_share_one_lazily_built_tagger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fikir.tagging, "_default", None)
    first = fikir.tagging.default_tagger()
    assert fikir.tagging.default_tagger() is first
    assert tag("Дорога вся в ямах", "ru").goal_numbers == (9,)
    assert explain("Дорога вся в ямах", "ru") == {9: ["Дорога", "ямах"]}


def _run(lines: list[str], explain_words: bool = False) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    count = run_jsonl(io.StringIO("\n".join(lines) + "\n"), out, explain=explain_words)
    return count, [json.loads(line) for line in out.getvalue().splitlines()]


def test_jsonl_contract(fixed_detector: list[str]) -> None:
    count, rows = _run(
        [
            json.dumps({"id": 1, "text": "Maaşlar aşağıdır, qiymətlər artır", "lang": "az"}),
            json.dumps({"id": "b", "text": "Привет"}),
            "",
            json.dumps({"id": "c", "text": "Тест", "lang": "ru"}),
        ]
    )
    assert count == 3
    assert [row["id"] for row in rows] == [1, "b", "c"]
    first = rows[0]
    assert set(first) == {"id", "lang", "sdgs", "priority_areas", "safety"}
    assert first["safety"] == []
    assert first["lang"] == "az"
    sdgs = first["sdgs"]
    assert isinstance(sdgs, list) and {item["goal"] for item in sdgs} == {1, 8}
    assert all(set(item) == {"goal", "score"} and 0 < item["score"] <= 1 for item in sdgs)
    assert first["priority_areas"] == [1]
    assert rows[1] == {"id": "b", "lang": "az", "sdgs": [], "priority_areas": [], "safety": []}
    assert rows[2]["sdgs"] == []


def test_jsonl_explain_adds_words_per_goal() -> None:
    _, rows = _run(
        [
            json.dumps(
                {"id": 7, "text": "Kür çayı çirklidir, kanalizasiya çaya axıdılır", "lang": "az"}
            )
        ],
        True,
    )
    assert rows[0]["explain"] == {"6": ["Kür", "çayı", "kanalizasiya", "çaya"]}  # text order


def test_jsonl_bad_lines_are_reported_and_do_not_stop_the_batch() -> None:
    count, rows = _run(
        [
            "{not json",
            json.dumps({"id": 2}),
            json.dumps(["a"]),
            json.dumps({"id": 3, "text": "su yoxdur", "lang": "az"}),
        ]
    )
    assert count == 1
    assert "error" in rows[0] and rows[0]["id"] is None
    assert rows[1]["id"] == 2 and "error" in rows[1]
    assert "error" in rows[2]
    assert rows[3]["sdgs"][0]["goal"] == 6  # type: ignore[index]
