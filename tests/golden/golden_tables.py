"""Golden tables: published reference values kept as plain CSV next to the tests.

A golden file starts with ``#`` comment lines of the form ``# key: text``; at least one key
must be ``source`` (or ``source[id]``) and give the full reference (publication, table or
example). The rest is an ordinary CSV. Tests compare columns **by name**, with an explicit
tolerance matching the published rounding: never by position, never regenerated from our own
code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

GOLDEN_DIR = Path(__file__).parent / "stats"


@dataclass(frozen=True)
class GoldenTable:
    """A golden CSV: its header notes (key, text) in file order and its data."""

    name: str
    notes: tuple[tuple[str, str], ...]
    frame: pd.DataFrame

    @property
    def sources(self) -> list[str]:
        return [text for key, text in self.notes if key.split("[")[0] == "source"]


def _parse_note(line: str) -> tuple[str, str]:
    key, _, text = line.lstrip("#").partition(":")
    return key.strip(), text.strip()


def load_golden(name: str, directory: Path = GOLDEN_DIR) -> GoldenTable:
    """Read ``directory/name``: skip the ``#`` lines (kept as notes), parse the CSV."""
    lines = (directory / name).read_text(encoding="utf-8").splitlines()
    notes = tuple(_parse_note(line) for line in lines if line.startswith("#"))
    body = "\n".join(line for line in lines if not line.startswith("#"))
    table = GoldenTable(name, notes, pd.read_csv(io.StringIO(body)))
    if not table.sources or not all(table.sources):
        raise ValueError(f"golden file {name} must name its source in a '# source: ...' line")
    return table


def assert_columns_close(
    actual: pd.DataFrame,
    expected: pd.DataFrame,
    columns: list[str],
    *,
    atol: float | np.ndarray = 0.0,
    rtol: float = 0.0,
) -> None:
    """Assert ``actual[c]`` matches ``expected[c]`` for each named column, row by row.

    Passes when |actual - expected| <= atol + rtol |expected| (NaN matches NaN). Both frames
    must have the same number of rows; on failure every mismatching cell is listed.
    """
    if len(actual) != len(expected):
        raise AssertionError(f"row count differs: actual {len(actual)}, expected {len(expected)}")
    problems = []
    for column in columns:
        if column not in actual.columns:
            raise AssertionError(f"column {column!r} missing from the actual results")
        got = actual[column].to_numpy(dtype=float)
        want = expected[column].to_numpy(dtype=float)
        tolerance = np.broadcast_to(atol + rtol * np.abs(want), want.shape)
        close = (np.abs(got - want) <= tolerance) | (np.isnan(got) & np.isnan(want))
        for row in np.flatnonzero(~close):
            problems.append(
                f"row {row}, {column}: expected {float(want[row])!r}, got {float(got[row])!r} "
                f"(difference {got[row] - want[row]:.3g}, tolerance {tolerance[row]:.3g})"
            )
    if problems:
        raise AssertionError("golden mismatch:\n" + "\n".join(problems))
