"""Vaccination coverage levels at their bounds (golden style): « très insuffisant » below
20 %, « exemplaire » at 75 % or more (published); 40 % and 60 % are hospiscope's assumed
inner bounds, configurable in grids/vaccination.yaml and labelled as assumptions; Wilson
intervals and positions against the WHO target; NC / DI establishments get no value."""

import json

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.finalize import finalize

COLUMNS = ["entity_kind", "entity_id", "period", "numerator", "denominator", "stat_nc", "stat_di"]
LEVELS = [
    (0, 10, "tres_insuffisant"),
    (199, 1000, "tres_insuffisant"),
    (1, 5, "insuffisant"),  # exactly 20 %
    (39, 100, "insuffisant"),
    (2, 5, "convenable"),  # exactly 40 % (assumed bound)
    (59, 100, "convenable"),
    (3, 5, "intermediaire"),  # exactly 60 % (assumed bound)
    (749, 1000, "intermediaire"),
    (3, 4, "exemplaire"),  # exactly 75 %: the WHO target
    (10, 10, "exemplaire"),
]


def finalized(rows):
    return finalize(get_indicator("VACCIN_GRIPPE"), pd.DataFrame(rows, columns=COLUMNS))


@pytest.mark.parametrize(("vaccinated", "staff", "expected"), LEVELS)
def test_level_bounds(vaccinated, staff, expected):
    out = finalized([("etablissement", "010000024", "2023-2024", vaccinated, staff, 0, 0)])
    assert out["class"][0] == expected
    assert out["value"][0] == pytest.approx(100 * vaccinated / staff)


def test_published_and_assumed_bounds_are_labelled():
    meta = get_indicator("VACCIN_GRIPPE").meta
    grid = meta.class_grid("2023-2024")
    assert grid.assumption and "hypothèse hospiscope" in grid.source
    bands = {b.code: b for b in grid.bands}
    assert bands["tres_insuffisant"].upper == 20 and bands["exemplaire"].lower == 75
    assert [b.code for b in grid.bands] == [
        "tres_insuffisant",
        "insuffisant",
        "convenable",
        "intermediaire",
        "exemplaire",
    ]
    assert "supposée" in bands["insuffisant"].label
    assert any("hypothèse hospiscope" in text for text in meta.assumptions)
    assert meta.target == 75 and "OMS" in meta.target_source


def test_wilson_interval_and_position_against_the_who_target():
    out = finalized(
        [
            ("national", "FR", "2023-2024", 81, 263, 3, 4),
            ("etablissement", "010000024", "2023-2024", 81, 263, 0, 0),
            ("etablissement", "010002129", "2023-2024", 95, 100, 0, 0),
        ]
    ).set_index("entity_id")
    # Newcombe (1998), table I: 81/263 → Wilson 0.2553–0.3662.
    assert (out.loc["FR", "ci_low"], out.loc["FR", "ci_high"]) == pytest.approx(
        (25.53, 36.62), abs=5e-3
    )
    assert out.loc["FR", "ci_method"] == "Wilson" and pd.isna(out.loc["FR", "class"])
    low = json.loads(out.loc["010000024", "details"])
    assert low["position_objectif"] == "en dessous"
    assert low["position_national"] == "non significativement différent"
    assert json.loads(out.loc["010002129", "details"])["position_objectif"] == "au-dessus"


def test_nc_and_di_establishments_get_no_value_nor_level():
    out = finalized(
        [
            ("etablissement", "010000107", "2023-2024", None, None, 1, 0),
            ("etablissement", "010000214", "2023-2024", None, None, 0, 1),
        ]
    )
    assert out["value"].isna().all() and out["ci_low"].isna().all()
    assert out["class"].isna().all()


def test_nc_and_di_statuses():
    out = finalized(
        [
            ("etablissement", "010000107", "2023-2024", None, None, 1, 0),
            ("etablissement", "010000214", "2023-2024", None, None, 0, 1),
        ]
    )
    assert list(out["status"]) == ["NC", "DI"]


def test_seasons_follow_each_other_for_the_evolution():
    out = finalized(
        [
            ("etablissement", "010000024", "2022-2023", 10, 100, 0, 0),
            ("etablissement", "010000024", "2023-2024", 45, 100, 0, 0),
        ]
    ).set_index("period")
    details = json.loads(out.loc["2023-2024", "details"])
    assert details["classe_precedente"] == "tres_insuffisant"
    assert details["periode_precedente"] == "2022-2023"
    assert out.loc["2023-2024", "class"] == "convenable"
    assert not np.isnan(out.loc["2023-2024", "ci_low"])
