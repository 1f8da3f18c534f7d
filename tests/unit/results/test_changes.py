"""Finalisation step 4: changes since the previous period — the class of establishments
(evolutions) and the value of every entity and level, with its MOVER interval."""

import numpy as np
import pandas as pd
import pytest

from hospiscope.results.changes import changes, evolutions
from hospiscope.results.rows import Rows


def rows(*records):
    frame = pd.DataFrame(
        records, columns=["entity_kind", "entity_id", "period", "value", "ci_low", "ci_high"]
    )
    return frame, frame["period"].astype(str).to_numpy(dtype=object)


def test_each_period_is_compared_with_the_one_before_for_the_same_entity():
    frame, period = rows(
        ("region", "84", "2022", 70.0, 69.0, 71.0),
        ("region", "84", "2023", 72.0, 71.0, 73.0),
        ("region", "84", "2024", 72.5, 71.5, 73.5),
        ("region", "11", "2024", 60.0, 59.0, 61.0),  # no earlier value for this region
        ("national", "FR", "2024", 71.0, 70.9, 71.1),
    )
    found = changes(frame, period)
    assert found[0] is None and found[3] is None and found[4] is None
    assert found[1]["periode_precedente"] == "2022" and found[2]["periode_precedente"] == "2023"
    assert found[1]["evolution"] == pytest.approx(2.0)
    half = np.hypot(1.0, 1.0)
    assert found[1]["evolution_ic"] == pytest.approx([2 - half, 2 + half], abs=1e-6)
    assert found[1]["evolution_significative"] and not found[2]["evolution_significative"]


def test_rows_without_an_interval_or_outside_it_are_not_compared():
    frame, period = rows(
        ("etablissement", "e1", "2023", 50.0, np.nan, np.nan),
        ("etablissement", "e1", "2024", 55.0, 50.0, 60.0),
        ("etablissement", "e2", "2023", 50.0, 55.0, 60.0),  # value outside its interval
        ("etablissement", "e2", "2024", 55.0, 50.0, 60.0),
    )
    assert changes(frame, period) == [None] * 4


def test_an_entity_repeated_in_a_period_is_compared_with_its_last_row():
    # What the pandas merge that paired periods did (its last pair won): kept as it was.
    frame, period = rows(
        ("region", "84", "2023", 70.0, 69.0, 71.0),
        ("region", "84", "2023", 60.0, 59.0, 61.0),
        ("region", "84", "2024", 65.0, 64.0, 66.0),
    )
    found = changes(frame, period)
    assert found[0] is None and found[1] is None
    assert found[2]["evolution"] == pytest.approx(5.0)


def test_a_single_period_has_no_change():
    frame, period = rows(("national", "FR", "2024", 71.0, 70.9, 71.1))
    assert changes(frame, period) == [None]


def classed(*records):
    frame = pd.DataFrame(records, columns=["entity_kind", "entity_id", "period", "class", "status"])
    return frame, Rows.of(frame)


def test_evolution_is_the_class_or_status_of_the_period_before():
    frame, rows = classed(
        ("etablissement", "e1", "2022", "A", None),
        ("etablissement", "e1", "2023", None, "DI"),
        ("etablissement", "e1", "2024", "B", None),
        ("etablissement", "e2", "2024", "A", None),  # new in 2024
        ("etablissement", "e3", "2022", "A", None),  # 2023 missing: 2024 not compared
        ("etablissement", "e3", "2024", "A", None),
        ("region", "84", "2023", "A", None),  # aggregates have no evolution
        ("region", "84", "2024", "A", None),
    )
    found = evolutions(frame, rows)
    assert found[1] == {"classe_precedente": "A", "periode_precedente": "2022"}
    assert found[2] == {"classe_precedente": "DI", "periode_precedente": "2023"}
    assert found[0] is None and found[3] is None and found[5] is None and found[7] is None


def test_a_single_period_has_no_evolution():
    frame, rows = classed(("etablissement", "e1", "2024", "A", None))
    assert evolutions(frame, rows) == [None]
