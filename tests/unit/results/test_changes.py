"""Changes since the previous period, per entity and level, with their MOVER interval."""

import numpy as np
import pandas as pd
import pytest

from hospiscope.results.changes import changes


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


def test_a_single_period_has_no_change():
    frame, period = rows(("national", "FR", "2024", 71.0, 70.9, 71.1))
    assert changes(frame, period) == [None]
