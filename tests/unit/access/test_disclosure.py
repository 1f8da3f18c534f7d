"""Disclosure control: small counts hidden, complements hidden so that no total gives one away;
golden tables computed by hand, and a property test on random tables."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hospiscope.access.disclosure import (
    ASSUMPTION,
    SECONDARY_MARK,
    DisclosureRule,
    protect_counts,
    protect_table,
    recoverable_cells,
)

SMALL, HIDDEN = "<\u00a011", SECONDARY_MARK


def table(rows):
    return pd.DataFrame(
        rows,
        index=[f"r{i}" for i in range(len(rows))],
        columns=[f"c{j}" for j in range(len(rows[0]))],
    )


def marks(protected):
    """The mask as text: P primary, S secondary, . shown."""
    grid = np.where(protected.primary, "P", np.where(protected.mask, "S", "."))
    return ["".join(row) for row in grid]


def test_one_small_cell_hides_its_row_and_column_complements():
    # totals 25, 70 | 35, 60 | 95: 5 is small; row 0 → 20, column 0 → 30, column 1 → 40
    protected = protect_table(table([[5, 20], [30, 40]]))
    assert marks(protected) == ["PS.", "SS.", "..."]
    assert protected.shown.to_numpy().tolist() == [
        [SMALL, HIDDEN, "25"],
        [HIDDEN, HIDDEN, "70"],
        ["35", "60", "95"],
    ]
    assert list(protected.shown.index) == ["r0", "r1", "Total"]
    assert list(protected.shown.columns) == ["c0", "c1", "Total"]


def test_complements_are_the_smallest_cells_of_the_line():
    # row 0: 3 small → 50 (smallest of 50, 60); column 0 → 40; column 1 (50 hidden) → 45
    protected = protect_table(table([[3, 50, 60], [40, 45, 70], [80, 90, 100]]))
    assert marks(protected) == ["PS..", "SS..", "....", "...."]


def test_zeros_are_shown_and_never_taken_as_complement_while_a_count_is_left():
    # row 0: 5 small; the 0 beside it would protect nothing (55 − 50 = 5): 50 is hidden
    protected = protect_table(table([[5, 0, 50], [20, 30, 40]]))
    assert marks(protected) == ["P.S.", "S.S.", "...."]
    assert protected.shown.iloc[0, 1] == "0"


def test_small_totals_are_hidden_too():
    # every count is below 11 except the zeros: all hidden, the zeros shown
    protected = protect_table(table([[4, 3], [0, 0]]))
    assert marks(protected) == ["PPP", "...", "PPP"]
    assert protected.shown.iloc[1].tolist() == ["0", "0", "0"]


def test_suppression_spreads_to_totals_when_a_line_has_nothing_else():
    # one column: each row total equals its cell; hiding 30 forces its row total too
    protected = protect_table(table([[5], [30]]))
    assert marks(protected) == ["PP", "SS", ".."]


def test_a_table_without_small_counts_is_untouched():
    protected = protect_table(table([[12, 1500], [11, 40]]))
    assert not protected.mask.to_numpy().any()
    assert protected.shown.iloc[0].tolist() == ["12", "1\u202f500", "1\u202f512"]
    assert "Aucune case de ce tableau n'a eu à être masquée." in protected.note


def test_without_totals_only_small_counts_are_hidden():
    protected = protect_table(table([[5, 20], [30, 40]]), totals=False)
    assert marks(protected) == ["P.", ".."]


def test_a_list_of_counts_with_its_total():
    protected = protect_counts(pd.Series([3, 40, 50], index=["a", "b", "c"], name="séjours"))
    assert protected.shown["séjours"].tolist() == [SMALL, HIDDEN, "50", "93"]
    assert list(protected.shown.index) == ["a", "b", "c", "Total"]


def test_the_threshold_is_configurable_and_labelled():
    rule = DisclosureRule(threshold=5, label="seuil de test")
    protected = protect_table(table([[4, 5], [6, 7]]), rule)
    assert protected.shown.iloc[0, 0] == "<\u00a05"
    assert "seuil de test" in protected.note
    assert not DisclosureRule(threshold=1).hides(np.array([0, 1, 2])).any()
    with pytest.raises(ValueError):
        DisclosureRule(threshold=0)


def test_the_note_names_the_rule_and_its_assumption():
    note = protect_table(table([[5, 20], [30, 40]])).note
    assert "de 1 à 10" in note and SMALL in note and SECONDARY_MARK in note
    assert ASSUMPTION in note
    assert "zéros sont affichés" in note


@pytest.mark.parametrize("bad", [[[1, None]], [[-1, 4]], [[1.5, 4]]])
def test_counts_must_be_whole_non_negative_numbers(bad):
    with pytest.raises(ValueError):
        protect_table(table(bad))


def test_recoverable_cells_finds_a_lone_hidden_entry():
    values = np.array([[5, 20, 25], [30, 40, 70], [35, 60, 95]])
    lone = np.zeros_like(values, dtype=bool)
    lone[0, 0] = True
    assert recoverable_cells(values, lone) == [(0, 0)]


counts = st.one_of(st.integers(0, 12), st.integers(0, 400))
tables = st.integers(1, 4).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=4)
)


def lines(grid):
    return [*grid, *grid.T]


@given(tables, st.integers(1, 15))
def test_no_hidden_value_is_one_subtraction_away(rows, threshold):
    rule = DisclosureRule(threshold=threshold)
    protected = protect_table(table(rows), rule)
    hidden = protected.mask.to_numpy()
    full = np.array(rows)
    full = np.column_stack([full, full.sum(axis=1)])
    full = np.vstack([full, full.sum(axis=0)])
    # every line (a row or column with its total) is one equation: exactly one unknown in it
    # would be recovered by subtracting the shown entries from the total
    for line_hidden in lines(hidden):
        assert line_hidden.sum() != 1
    small = (full > 0) & (full < threshold)
    assert (hidden[small]).all()
    assert (protected.primary.to_numpy() == small).all()
    shown = protected.shown.to_numpy()
    for value, text, masked in zip(full.ravel(), shown.ravel(), hidden.ravel(), strict=True):
        assert masked or text.replace("\u202f", "") == str(value)
