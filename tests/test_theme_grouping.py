"""The theme grouping brings one concern together across languages and keeps concerns apart."""

from __future__ import annotations

from pathlib import Path

from fikir.digest.concepts import default_concepts
from fikir.digest.theme_eval import evaluate, load_labelled
from fikir.digest.themes import group

DATA = Path(__file__).parent / "data" / "themes" / "messages.tsv"


def test_the_same_concern_in_three_languages_has_the_same_concepts() -> None:
    lexicon = default_concepts()
    found = {
        lexicon.concepts("su yoxdur", "az"),
        lexicon.concepts("нет воды", "ru"),
        lexicon.concepts("no water", "en"),
    }
    assert found == {frozenset({"water", "absent"})}


def test_water_cut_and_dirty_water_are_two_themes_across_languages() -> None:
    lexicon = default_concepts()
    texts = [
        ("cut", "Kənddə beş gündür su yoxdur", "az"),
        ("cut", "Пятый день нет воды в селе", "ru"),
        ("cut", "No water in the village for days", "en"),
        ("dirty", "Kranlardan çirkli su gəlir", "az"),
        ("dirty", "Из крана течёт грязная вода", "ru"),
        ("dirty", "The tap water is dirty", "en"),
    ]
    groups = group((i, lexicon.concepts(text, lang)) for i, (_, text, lang) in enumerate(texts))
    labels = sorted(sorted({texts[i][0] for i in g.keys}) for g in groups)
    assert labels == [["cut"], ["dirty"]]
    cut = next(g for g in groups if 0 in g.keys)
    assert set(cut.keys) == {0, 1, 2}
    assert cut.top_concepts(lexicon.order) == ("water", "absent", "days")
    assert lexicon.name("absent", "ru") == "нет, отключают"


def test_labelled_set_is_large_enough_and_split_by_hash() -> None:
    messages = load_labelled(DATA)
    assert len(messages) >= 200
    assert {m.lang for m in messages} == {"az", "ru", "en", "tly", "lez", "ka", "uk"}
    splits = {m.split for m in messages}
    assert splits == {"dev", "held-out"}
    assert all(m.split == type(m)(m.theme, 0, "xx", m.text).split for m in messages)


def test_held_out_purity_and_coverage_stay_above_the_floor() -> None:
    held_out = [m for m in load_labelled(DATA) if m.split == "held-out"]
    scores = evaluate(held_out, default_concepts())["all"]
    # Figures at the time of writing: purity 1.00, coverage 0.85, completeness 0.93.
    assert scores.purity >= 0.9
    assert scores.coverage >= 0.75
    assert scores.completeness >= 0.85
