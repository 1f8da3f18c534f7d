"""Disclosure control: the one small-count rule for every output built from patient-level data
that is seen beyond the establishment (public pages, exports, GHT/ARS views of counts broken
down by patient characteristics).

Primary suppression: a count from 1 to THRESHOLD − 1 is hidden and shown as "< THRESHOLD".
No official threshold is known for hospiscope's outputs (spec/facts.md says nothing on it):
the default, 11, is an hospiscope assumption modelled on CMS's cell-size suppression policy,
labelled as such on every page (`note`). Totals are counts too: a total from 1 to 10 is hidden.

Zeros are shown: a zero reveals no person, and hiding zeros would hide most of a sparse table
for nothing. (Known limit: a zero next to a non-zero total says that everyone of that group
shares one characteristic; tables where this matters should group their categories.)

Secondary suppression: in a table with totals, each row, column and total line is an equation
(cells add up to the total). A line with exactly one hidden entry gives it away by one
subtraction, so the smallest other non-zero entry of that line is hidden too (shown "masqué"),
until no line has exactly one hidden entry. Non-zero because a zero as complement would not
protect anything: total − shown cells would equal the small count itself. A zero is taken only
when a line has nothing else. Known limit: this guarantees that no hidden value is the result of
one subtraction; it does not compute the intervals a reader could derive by combining several
equations (that would need a linear-programming audit, as in τ-ARGUS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

THRESHOLD = 11  # hidden: 1 … 10
ASSUMPTION = (
    "hypothèse hospiscope, inspirée de la règle des petits effectifs de CMS "
    "(cellules de 1 à 10 masquées)"
)
SECONDARY_MARK = "masqué"
TOTAL_LABEL = "Total"
NNBSP, NBSP = "\u202f", "\u00a0"


@dataclass(frozen=True)
class DisclosureRule:
    threshold: int = THRESHOLD
    label: str = ASSUMPTION

    def __post_init__(self) -> None:
        if int(self.threshold) != self.threshold or self.threshold < 1:
            raise ValueError(f"threshold must be a whole number ≥ 1, not {self.threshold!r}")

    @property
    def small_mark(self) -> str:
        return f"<{NBSP}{self.threshold}"

    def hides(self, counts: np.ndarray) -> np.ndarray:
        return (counts > 0) & (counts < self.threshold)


DEFAULT_RULE = DisclosureRule()


@dataclass(frozen=True)
class Protected:
    shown: pd.DataFrame  # the text to display, totals included when asked
    mask: pd.DataFrame  # True where the value is hidden (primary or secondary)
    primary: pd.DataFrame  # True where the count itself is small
    note: str  # French, to show with the table


def protect_table(
    counts: pd.DataFrame, rule: DisclosureRule = DEFAULT_RULE, *, totals: bool = True
) -> Protected:
    """Apply the rule to a table of counts (rows × columns, non-negative whole numbers). With
    `totals`, a "Total" column and row are added and secondary suppression protects them;
    without, only primary suppression applies (use it only where no total is shown anywhere)."""
    values = _counts(counts.to_numpy())
    index, columns = list(counts.index), list(counts.columns)
    if totals:
        values = _with_totals(values)
        index, columns = [*index, TOTAL_LABEL], [*columns, TOTAL_LABEL]
    primary = rule.hides(values)
    hidden = _secondary(values, primary, _table_lines(*values.shape)) if totals else primary
    return _protected(values, primary, hidden, rule, index, columns)


def protect_counts(
    counts: pd.Series, rule: DisclosureRule = DEFAULT_RULE, *, total: bool = True
) -> Protected:
    """The rule on one list of counts (one line, with its total as a last row when asked)."""
    values = _counts(counts.to_numpy())
    index = list(counts.index)
    if total:
        values, index = np.append(values, values.sum()), [*index, TOTAL_LABEL]
    primary = rule.hides(values)
    lines = [np.arange(values.size)] if total else []
    hidden = _secondary(values, primary, lines)
    column = [counts.name if counts.name is not None else "effectif"]
    return _protected(values[:, None], primary[:, None], hidden[:, None], rule, index, column)


def note(rule: DisclosureRule = DEFAULT_RULE, *, anything_hidden: bool = True) -> str:
    """The French note shown with a protected table."""
    smallest_shown = rule.threshold
    text = (
        f"Petits effectifs : les effectifs de 1 à {smallest_shown - 1} sont masqués "
        f"(« {rule.small_mark} ») et, là où un total permettrait de les retrouver par "
        f"soustraction, une autre case est masquée aussi (« {SECONDARY_MARK} »). "
        f"Les zéros sont affichés. Seuil : {rule.label}."
    )
    if smallest_shown <= 1:
        text = f"Aucun effectif n'est masqué (seuil : {rule.label})."
    elif not anything_hidden:
        text += " Aucune case de ce tableau n'a eu à être masquée."
    return text


def recoverable_cells(values: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden entries of a table with its totals (last row and column) that one subtraction
    recovers: the only hidden entry of a row, column or total line. Empty when protected."""
    shape = values.shape
    found = set()
    for line in _table_lines(*shape):
        flat = hidden.ravel()[line]
        if flat.sum() == 1:
            found.add(np.unravel_index(line[flat.argmax()], shape))
    return sorted((int(row), int(column)) for row, column in found)


def _counts(values: np.ndarray) -> np.ndarray:
    numbers = pd.to_numeric(pd.Series(values.ravel()), errors="coerce").to_numpy(dtype=float)
    if np.isnan(numbers).any():
        raise ValueError("missing count: fill absent combinations with 0 before protecting")
    if (numbers < 0).any() or (numbers != np.round(numbers)).any():
        raise ValueError("counts must be non-negative whole numbers")
    return numbers.astype(np.int64).reshape(values.shape)


def _with_totals(values: np.ndarray) -> np.ndarray:
    rows = np.column_stack([values, values.sum(axis=1)])
    return np.vstack([rows, rows.sum(axis=0)])


def _table_lines(n_rows: int, n_columns: int) -> list[np.ndarray]:
    """Flat positions of each line of a table whose last row and column are totals: every row
    (cells + row total) and every column (cells + column total), totals' lines included."""
    grid = np.arange(n_rows * n_columns).reshape(n_rows, n_columns)
    return [*grid, *grid.T]


def _secondary(values: np.ndarray, primary: np.ndarray, lines: list[np.ndarray]) -> np.ndarray:
    """Hide complements until no line has exactly one hidden entry (it only grows: it ends)."""
    flat_values, hidden = values.ravel(), primary.ravel().copy()
    changed = True
    while changed:
        changed = False
        for line in lines:
            if hidden[line].sum() == 1:
                hidden[_complement(flat_values, hidden, line)] = True
                changed = True
    return hidden.reshape(values.shape)


def _complement(values: np.ndarray, hidden: np.ndarray, line: np.ndarray) -> int:
    """The smallest shown non-zero entry of the line (a zero only when nothing else is left;
    ties: the first)."""
    candidates = [int(position) for position in line if not hidden[position]]
    pool = [position for position in candidates if values[position] > 0] or candidates
    return min(pool, key=lambda position: (values[position], position))


def _protected(values, primary, hidden, rule, index, columns) -> Protected:
    text = np.vectorize(_integer, otypes=[object])(values) if values.size else values.astype(object)
    text = np.where(hidden, SECONDARY_MARK, text)
    text = np.where(primary, rule.small_mark, text)

    def frame(data) -> pd.DataFrame:
        return pd.DataFrame(data, index=index, columns=columns)

    return Protected(
        frame(text), frame(hidden), frame(primary), note(rule, anything_hidden=bool(hidden.any()))
    )


def _integer(value: int) -> str:
    return f"{int(value):,}".replace(",", NNBSP)
