"""Finalisation step 3: classes of published establishment values from their period's grid;
a finish's own classes are kept."""

import dataclasses

import numpy as np
import pandas as pd

from hospiscope.catalogue import get_indicator
from hospiscope.catalogue.model import ClassBand, ClassGrid
from hospiscope.results.classes import class_column, classes, classify
from hospiscope.results.rows import Rows


def table(rows, **extra):
    return pd.DataFrame(rows, columns=["entity_kind", "entity_id", "period", "value"]).assign(
        **extra
    )


def test_classify_matches_the_grid_on_every_value():
    grid = get_indicator("ESATIS48H_SCORE").meta.class_grid("2024")
    bounds = [b for band in grid.bands for b in (band.lower, band.upper) if b is not None]
    values = np.array(
        [-np.inf, np.inf, 0.0, 100.0]
        + [b + d for b in bounds for d in (-1e-9, 0.0, 1e-9)]
        + [np.nextafter(b, -np.inf) for b in bounds]
    )
    assert classify(grid, values).tolist() == [grid.classify(float(v)) for v in values]


def test_only_establishments_with_a_value_and_a_grid_get_a_class():
    indicator = get_indicator("VACCIN_GRIPPE")  # one grid for every period
    only_2023 = ClassGrid(
        bands=(ClassBand(code="tout", label="Tout"),), source="t", periods=("2023",)
    )
    indicator = dataclasses.replace(
        indicator, meta=indicator.meta.model_copy(update={"class_grids": (only_2023,)})
    )
    frame = table(
        [
            ("etablissement", "e1", "2023", 50.0),
            ("etablissement", "e2", "2023", np.nan),  # withheld or missing
            ("national", "FR", "2023", 50.0),
            ("etablissement", "e1", "2024", 50.0),  # no grid for 2024
        ]
    )
    assert classes(indicator, frame, Rows.of(frame)) == ["tout", None, None, None]


def test_a_finish_class_wins_over_the_grid_where_it_is_set():
    indicator = get_indicator("VACCIN_GRIPPE")
    frame = table(
        [("etablissement", "e1", "2024", 90.0), ("etablissement", "e2", "2024", 90.0)],
        **{"class": ["decision", None]},
    )
    assert class_column(indicator, frame, Rows.of(frame)).tolist() == ["decision", "exemplaire"]
    graded = class_column(indicator, frame.drop(columns="class"), Rows.of(frame))
    assert graded.tolist() == ["exemplaire", "exemplaire"]
