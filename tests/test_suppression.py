"""Small-cell suppression under adversarial breakdowns: no cell under k shown or recoverable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fikir.privacy.differencing import Family, to_hide
from fikir.privacy.suppression import OTHER, suppress, suppress_table

K = 5
counts = st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 30), max_size=8)
tables = st.dictionaries(
    st.sampled_from(["baku", "lankaran", "guba", "shaki", "karabakh", "nakhchivan", "abroad"]),
    st.dictionaries(st.integers(0, 4), st.integers(0, 12), max_size=5),
    max_size=7,
)


@settings(max_examples=400, deadline=None)
@given(counts)
def test_one_way_counts_never_show_or_leak_a_small_cell(data: dict[str, int]) -> None:
    result = suppress(data, K)
    if result.suppressed:
        assert not result.shown and result.other is None
        return
    assert all(value >= K for value in result.shown.values())
    assert result.total == sum(data.values())
    hidden = [key for key, value in data.items() if value > 0 and key not in result.shown]
    if hidden and not result.shown:
        # Everything merged: an "other" row would only repeat the total ("Other 100%").
        assert result.other is None
    elif hidden:
        # The merged rest is the total minus what is shown: it must be safe and not one cell.
        assert result.other is not None and result.other >= K
        assert len(hidden) >= 2
        assert result.other == result.total - sum(result.shown.values())
    else:
        assert result.other is None


@settings(max_examples=400, deadline=None)
@given(tables)
def test_cross_tabs_are_safe_in_every_cell_and_every_difference(
    table: dict[str, dict[int, int]],
) -> None:
    result = suppress_table(table, K)
    safe = lambda v: v == 0 or v >= K  # noqa: E731
    for cells in result.rows.values():
        assert all(safe(v) for v in cells.values())
    if result.other is not None:
        assert all(safe(v) for v in result.other.values())
    # Column totals are public (they are the one-way results): each must be safe too.
    totals = {
        c: sum(cells.get(c, 0) for cells in result.rows.values())
        + (result.other.get(c, 0) if result.other else 0)
        for c in result.columns
    }
    assert all(safe(v) for v in totals.values())
    # Differencing: a row hidden in "other" can only be recovered if it is alone there.
    hidden_rows = [r for r in table if r not in result.rows and sum(table[r].values()) > 0]
    if result.rows and hidden_rows:
        assert len(hidden_rows) >= 2 or all(
            safe(sum(v for c, v in table[r].items())) for r in hidden_rows
        )
    # Shown rows keep their true values.
    for row, cells in result.rows.items():
        for column, value in cells.items():
            if column != OTHER:
                assert value == table[row].get(column, 0)


def test_region_by_age_by_gender_example() -> None:
    # Three people in Nakhchivan aged 55+ would be singled out by a naive table.
    table = {
        "baku": {"yes": 40, "no": 22},
        "lankaran": {"yes": 9, "no": 6},
        "nakhchivan": {"yes": 3, "no": 0},
        "guba": {"yes": 1, "no": 4},
    }
    result = suppress_table(table, K)
    assert "nakhchivan" not in result.rows and "guba" not in result.rows
    assert result.other is not None and result.other["yes"] >= K
    assert result.rows["baku"] == {"yes": 40, "no": 22}


def test_everything_too_small_shows_nothing() -> None:
    assert suppress({"a": 1, "b": 2}, K).suppressed
    assert suppress_table({"x": {1: 1}, "y": {1: 2}}, K).suppressed


def test_a_merged_group_is_measured_in_distinct_people() -> None:
    # English (people 1-3) and Ukrainian (people 1-2): five by the sum, three in fact.
    people = {"az": set(range(10, 20)), "ru": set(range(20, 26)), "en": {1, 2, 3}, "uk": {1, 2}}
    counts = {key: len(who) for key, who in people.items()}
    result = suppress(counts, K, lambda keys: len(set().union(*(people[k] for k in keys))))
    assert result.shown == {"az": 10}
    assert result.other == 9  # en, uk and the next smallest, ru: 3 + 6 distinct people


def test_subtraction_hides_the_smallest_child_with_numeric_ties() -> None:
    family = Family("total", frozenset({3, 13, 6}), everything=True)
    shown = frozenset({3, 13, 6})
    children, parents = to_hide([family], shown, {"total": 2}, {3: 9, 13: 9, 6: 40}, K)
    assert children == {3} and not parents  # 3 before 13 at equal size
    area = Family(1, frozenset({3, 13}), yields_parent=True)
    assert to_hide([area], shown, {1: 4}, {}, K) == (frozenset(), frozenset({1}))
    assert to_hide([area], shown, {1: 0}, {}, K) == (frozenset(), frozenset())
    assert to_hide([area], shown, {1: K}, {}, K) == (frozenset(), frozenset())


def test_no_other_row_when_every_group_was_merged() -> None:
    """Three small options of one poll: the total may be shown, an "other 100%" row may not."""
    result = suppress({"yes": 2, "no": 3, "maybe": 1}, K)
    assert result.total == 6 and not result.shown
    assert result.other is None
    table = suppress_table({"baku": {"yes": 2, "no": 3}, "ganja": {"yes": 1}}, K)
    assert table.suppressed
