"""Establishments against target, peers (20 % best / worst at three levels), national quartiles
and their own history, on small hand-computed tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hospiscope.results.benchmarks import benchmark

# Billing delay in days (lower is better), ten establishments: values 10, 20, …, 100.
VALUES = pd.DataFrame({"entity_id": [f"E{i:02d}" for i in range(10)],
                       "value": [10.0 * (i + 1) for i in range(10)]})  # fmt: skip
GROUPS = pd.DataFrame({
    "entity_id": VALUES["entity_id"],
    "region_code": ["84"] * 5 + ["11"] * 5,
    "legal_status": ["public"] * 10,
    "typology": ["CH"] * 6 + ["CHU"] * 3 + [None],
})  # fmt: skip


def _row(found: pd.DataFrame, entity: str) -> dict:
    return found.set_index("entity_id").loc[entity].to_dict()


def test_bands_at_every_level_follow_type_7_cut_points():
    found = benchmark(VALUES, GROUPS, "lower_is_better", target=30.0)
    # Region 84: 10..50 → P20 = 10 + 0.2 × 4 × 10 = 18, P80 = 42 (type 7).
    e0, e4 = _row(found, "E00"), _row(found, "E04")
    assert (e0["region_code_p20"], e0["region_code_p80"]) == pytest.approx((18.0, 42.0))
    assert e0["region_code_band"] == "best" and e4["region_code_band"] == "worst"
    # Legal category: all ten, 10..100 → P20 = 28, P80 = 82.
    assert (e0["legal_status_p20"], e0["legal_status_p80"]) == pytest.approx((28.0, 82.0))
    # Typology: CHU has 3 establishments (< 5): no band; the last has no typology.
    assert _row(found, "E07")["typology_band"] == "insufficient"
    assert _row(found, "E09")["typology_band"] == "missing"
    # National quartiles of 10..100: 32.5, 55, 77.5.
    assert (e0["national_q25"], e0["national_median"], e0["national_q75"]) == pytest.approx(
        (32.5, 55.0, 77.5)
    )


def test_the_rules_that_fired_are_named():
    found = benchmark(VALUES, GROUPS, "lower_is_better", target=30.0)
    codes = {row["entity_id"]: [r.code for r in row["rules"]] for row in found.to_dict("records")}
    assert codes["E00"] == []  # 10 days: best everywhere, under target
    assert codes["E02"] == []  # 30 days: at the target is not beyond it
    # 50 ≥ P80 of its region (42) and of its typology (CH: 10..60, P80 = 50)
    assert codes["E04"] == ["cible", "pires_20_region_code", "pires_20_typology"]
    assert codes["E09"] == ["cible", "pires_20_region_code", "pires_20_legal_status",
                            "quartile_defavorable"]  # fmt: skip
    sentence = next(r.sentence for r in found.iloc[4]["rules"] if r.code.startswith("pires"))
    assert sentence == "parmi les 20 % les moins favorables de sa région (seuil 42)"


def test_direction_decides_which_side_is_worst():
    found = benchmark(VALUES, GROUPS, "higher_is_better", target=95.0)
    assert _row(found, "E00")["region_code_band"] == "worst"
    assert _row(found, "E09")["rules"] == []  # 100: best everywhere, and above the target 95
    assert [r.code for r in _row(found, "E08")["rules"]] == ["cible"]  # 90 < 95
    none = benchmark(VALUES, GROUPS, "none")
    assert all(not rules for rules in none["rules"])  # no judgement, no target
    assert set(none["region_code_band"]) <= {"low", "high", "middle"}


def test_history_fires_on_a_degradation_beyond_the_tolerance():
    previous = pd.Series({"E00": 9.0, "E01": 15.0, "E02": 31.0, "E03": 39.0})
    found = benchmark(VALUES, GROUPS, "lower_is_better", previous=previous)
    codes = {row["entity_id"]: [r.code for r in row["rules"]] for row in found.to_dict("records")}
    assert "degradation" in codes["E00"]  # 9 → 10 days: +11 %, beyond the 5 % tolerance
    assert "degradation" in codes["E01"]  # 15 → 20
    assert "degradation" not in codes["E02"]  # 31 → 30: better
    assert "degradation" not in codes["E03"]  # 39 → 40: +2.6 %, within the tolerance
    assert "degradation" not in codes["E05"]  # no previous value
    sentence = next(r.sentence for r in found.iloc[0]["rules"] if r.code == "degradation")
    assert sentence == "dégradation depuis la période précédente (9 → 10)"
    assert np.isnan(_row(found, "E05")["previous"])
