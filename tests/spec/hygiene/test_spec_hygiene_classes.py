"""ICSHA classes at the published boundaries (golden style): A > 80 % strictly, E < 20 %
strictly, 60 % is C and 40 % is D (hospiscope's reading of the ambiguous ICSHA.2 sheet);
float noise does not move a value across a bound; what finalize publishes for NC / DI
establishments and groups; the version's grid classes only its own indicator."""

import json

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.catalogue.grids import load_grids
from hospiscope.results.finalize import finalize

COLUMNS = ["entity_kind", "entity_id", "period", "numerator", "denominator", "stat_nc", "stat_di"]

# (volume consumed L, objective L) → class of the ICSHA.2 sheet.
BOUNDARIES = [
    (150, 100, "A"),
    (100, 100, "A"),
    (80.0001, 100, "A"),
    (80, 100, "B"),  # "A > 80 %": exactly 80 % is not A
    (64, 80, "B"),  # 80 % again, from other volumes
    (60.0001, 100, "B"),
    (60, 100, "C"),
    (10.8, 18, "C"),  # 10.8 / 18 × 100 = 60.00000000000001 in floating point
    (40.0001, 100, "C"),
    (40, 100, "D"),
    (20, 100, "D"),  # "E < 20 %": exactly 20 % is not E
    (19.9999, 100, "E"),
    (0, 100, "E"),
]


def finalized(code, rows):
    return finalize(get_indicator(code), pd.DataFrame(rows, columns=COLUMNS))


@pytest.mark.parametrize("code", ["ICSHA2", "ICSHA3"])
@pytest.mark.parametrize(("volume", "objective", "expected"), BOUNDARIES)
def test_class_boundaries(code, volume, objective, expected):
    out = finalized(code, [("etablissement", "010000024", "2024", volume, objective, 0, 0)])
    assert out["class"][0] == expected
    assert out["value"][0] == pytest.approx(100 * volume / objective)
    assert np.isnan(out["ci_low"][0]) and pd.isna(out["ci_method"][0])  # exhaustive: no CI


def test_strict_bounds_are_the_doubles_just_above():
    bands = {b.code: b for b in load_grids("icsha")["ICSHA.2"][0].bands}
    assert bands["A"].lower == np.nextafter(80.0, np.inf)
    assert bands["B"].lower == np.nextafter(60.0, np.inf)
    assert bands["C"].lower == np.nextafter(40.0, np.inf)
    assert bands["D"].lower == 20.0 and bands["E"].upper == 20.0


def test_icsha3_grid_is_a_labelled_assumption_and_icsha2_is_published():
    icsha2, icsha3 = get_indicator("ICSHA2").meta, get_indicator("ICSHA3").meta
    assert not icsha2.class_grid("2024").assumption
    assert icsha3.class_grid("2024").assumption
    assert "hypothèse hospiscope" in icsha3.class_grid("2024").source.lower()
    assert any("ICSHA.3" in text for text in icsha3.assumptions)
    assert icsha3.target == 100 and icsha3.kind == "ratio" and icsha3.ci_method == "none"


def test_groups_are_pooled_and_not_classed():
    out = finalized(
        "ICSHA3",
        [
            ("national", "FR", "2024", 1200, 1300, 1, 2),
            ("etablissement", "010000024", "2024", 800, 1000, 0, 0),
        ],
    ).set_index("entity_kind")
    assert out.loc["national", "value"] == pytest.approx(100 * 1200 / 1300)
    assert pd.isna(out.loc["national", "class"]) and pd.isna(out.loc["national", "status"])
    assert json.loads(out.loc["national", "details"]) == {
        "etablissements_non_concernes": 1,
        "etablissements_donnees_insuffisantes": 2,
    }
    details = json.loads(out.loc["etablissement", "details"])
    assert details["objectif_atteint"] is False
    assert details["ecart_objectif_points"] == -20.0
    assert details["ecart_national_points"] == pytest.approx(80 - 92.3, abs=0.05)


def test_nc_and_di_establishments_get_no_value_nor_class():
    out = finalized(
        "ICSHA3",
        [
            ("etablissement", "010000107", "2024", None, None, 1, 0),
            ("etablissement", "010000115", "2024", None, None, 0, 1),
        ],
    ).set_index("entity_id")
    for finess, label in (("010000107", "Non concerné"), ("010000115", "Données insuffisantes")):
        row = out.loc[finess]
        assert np.isnan(row["value"]) and pd.isna(row["class"])
        assert pd.isna(row["numerator"]) and pd.isna(row["denominator"])
        assert json.loads(row["details"])["motif"].startswith(label)


def test_nc_and_di_statuses():
    out = finalized(
        "ICSHA3",
        [
            ("etablissement", "010000107", "2024", None, None, 1, 0),
            ("etablissement", "010000115", "2024", None, None, 0, 1),
        ],
    )
    assert list(out["status"]) == ["NC", "DI"]


def test_class_evolution_stays_within_a_version():
    out = finalized(
        "ICSHA3",
        [
            ("etablissement", "010000024", "2023", 50, 100, 0, 0),
            ("etablissement", "010000024", "2024", 90, 100, 0, 0),
        ],
    ).set_index("period")
    assert json.loads(out.loc["2024", "details"])["classe_precedente"] == "C"
    assert out.loc["2024", "class"] == "A"


def test_share_reaching_the_objective_has_a_wilson_interval():
    out = finalized("ICSHA3_OBJECTIF_ATTEINT", [("national", "FR", "2024", 81, 263, 0, 0)])
    # Newcombe (1998), table I: 81/263 → Wilson 0.2553–0.3662.
    assert out["value"][0] == pytest.approx(100 * 81 / 263)
    assert (out["ci_low"][0], out["ci_high"][0]) == pytest.approx((25.53, 36.62), abs=5e-3)
    assert out["ci_method"][0] == "Wilson" and pd.isna(out["class"][0])
