"""Finalisation, step 3: the class of every published establishment value, from the grid of
its period (lower bound inclusive, upper bound exclusive); a finish's own classes
(certification decisions, levels) are kept."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.catalogue.model import ClassGrid, Indicator
from hospiscope.results.rows import Rows, numbers


def class_column(indicator: Indicator, frame: pd.DataFrame, rows: Rows) -> pd.Series:
    """The `class` column: the class a finish set where it set one, else the grid's."""
    graded = pd.Series(classes(indicator, frame, rows), index=frame.index)
    given = frame.get("class")
    return graded if given is None else given.where(given.notna(), graded)


def classes(indicator: Indicator, frame: pd.DataFrame, rows: Rows) -> list[str | None]:
    """Class of each published establishment value, from the grid of its period."""
    result = np.full(len(frame), None, dtype=object)
    value = numbers(frame, "value")
    usable = rows.establishment & ~np.isnan(value)
    for period in set(rows.period[usable]):  # one grid lookup per period, not per row
        grid = indicator.meta.class_grid(period)
        if grid is not None:
            selected = usable & (rows.period == period)
            result[selected] = classify(grid, value[selected])
    return result.tolist()


def classify(grid: ClassGrid, values: np.ndarray) -> np.ndarray:
    """`grid.classify` of each value: the first band holding it, lower bound inclusive and
    upper bound exclusive; None when no band does."""
    codes = np.full(values.shape, None, dtype=object)
    unclassified = np.ones(values.shape, dtype=bool)
    for band in grid.bands:
        inside = unclassified.copy()
        if band.lower is not None:
            inside &= values >= band.lower
        if band.upper is not None:
            inside &= values < band.upper
        codes[inside] = band.code
        unclassified &= ~inside
    return codes
