"""The finalisation pipeline, end to end: from pooled counts to published values — value, CI
(Wilson, checked against Newcombe 1998), DI below the minimum sample at establishment level
only, counts without CI, classes, evolutions, changes and positions in the details. Each step
has its own tests (test_values, test_statuses, test_classes, test_changes, test_positions,
test_details)."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.catalogue.model import ClassBand, ClassGrid
from hospiscope.results.finalize import OUTPUT_COLUMNS, POSITION_RULE, finalize
from hospiscope.results.values import standard_values
from hospiscope.warehouse.results_schema import FINALISED_COLUMNS


def frame(rows):
    return pd.DataFrame(
        rows, columns=["entity_kind", "entity_id", "period", "numerator", "denominator"]
    )


def test_rate_with_wilson_interval_and_di():
    raw = frame(
        [
            ("national", "FR", "2024", 81, 263),  # Newcombe 1998: Wilson 0.2553–0.3662
            ("etablissement", "010000024", "2024", 15, 148),  # Wilson 0.0624–0.1605
            ("etablissement", "010002129", "2024", 10, 29),  # below 30: DI
            ("region", "84", "2024", 10, 29),  # aggregates are always published
        ]
    )
    out = finalize(get_indicator("ESATIS48H_RECO"), raw).set_index("entity_id")
    assert out.loc["FR", "value"] == pytest.approx(100 * 81 / 263)
    assert (out.loc["FR", "ci_low"], out.loc["FR", "ci_high"]) == pytest.approx(
        (25.53, 36.62), abs=5e-3
    )
    assert (out.loc["010000024", "ci_low"], out.loc["010000024", "ci_high"]) == pytest.approx(
        (6.24, 16.05), abs=5e-3
    )
    assert out.loc["FR", "ci_method"] == "Wilson" and out.loc["FR", "ci_level"] == 0.95
    di = out.loc["010002129"]
    assert di["status"] == "DI" and np.isnan(di["value"]) and np.isnan(di["ci_low"])
    assert (di["numerator"], di["denominator"]) == (10, 29)  # kept: self-describing
    assert pd.isna(out.loc["84", "status"]) and out.loc["84", "value"] == pytest.approx(
        100 * 10 / 29
    )


def test_zero_denominator_gives_no_value():
    out = finalize(get_indicator("ESATIS48H_RECO"), frame([("national", "FR", "2024", 0, 0)]))
    assert np.isnan(out["value"][0]) and np.isnan(out["ci_low"][0])


def test_count_has_no_interval():
    out = finalize(get_indicator("REG_ETAB"), frame([("national", "FR", "registre", 5368, None)]))
    assert out["value"][0] == 5368
    assert np.isnan(out["ci_low"][0]) and pd.isna(out["ci_method"][0])
    assert pd.isna(out["status"][0]) and pd.isna(out["class"][0])


# Classes, evolutions, positions and details are computed per period and per column rather
# than per row: these pin their exact output (bounds, key order, JSON text).


def vaccination(rows):
    """VACCIN_GRIPPE: a Wilson rate × 100 with a target of 75 % and one grid for all periods
    (< 20 very insufficient … ≥ 75 exemplary)."""
    return finalize(get_indicator("VACCIN_GRIPPE"), frame(rows)).set_index(["entity_id", "period"])


def test_classes_keep_the_grid_bounds():
    out = vaccination(
        [
            ("etablissement", "e1", "2023-2024", 20, 100),  # 20 % exactly: lower bound kept
            ("etablissement", "e2", "2023-2024", 1999, 10000),  # 19.99 %
            ("etablissement", "e3", "2023-2024", 75, 100),
            ("etablissement", "e4", "2023-2024", 7499, 10000),
            ("etablissement", "e5", "2023-2024", 0, 0),  # no value: no class
            ("national", "FR", "2023-2024", 50, 100),  # aggregates: no class
        ]
    )["class"]
    assert out.iloc[:4].tolist() == [
        "insuffisant",
        "tres_insuffisant",
        "exemplaire",
        "intermediaire",
    ]
    assert out.iloc[4:].isna().all()


def test_each_period_uses_its_own_grid():
    indicator = get_indicator("VACCIN_GRIPPE")
    default = indicator.meta.class_grids[0]
    named = ClassGrid(
        bands=(
            ClassBand(code="bas", label="Bas", upper=50),
            ClassBand(code="haut", label="Haut", lower=50),
        ),
        source="test",
        periods=("2022-2023",),
    )
    meta = indicator.meta.model_copy(update={"class_grids": (named, default)})
    out = finalize(
        dataclasses.replace(indicator, meta=meta),
        frame(
            [
                ("etablissement", "e1", "2022-2023", 60, 100),
                ("etablissement", "e1", "2023-2024", 60, 100),
            ]
        ),
    )
    assert out["class"].tolist() == ["haut", "intermediaire"]


def test_details_text_evolution_then_positions():
    out = vaccination(
        [
            ("national", "FR", "2022-2023", 500, 1000),
            ("national", "FR", "2023-2024", 600, 1000),
            ("etablissement", "e1", "2022-2023", 10, 100),  # 10 %: très insuffisant
            ("etablissement", "e1", "2023-2024", 900, 1000),  # 90 %: above both references
            ("etablissement", "e2", "2023-2024", 55, 100),  # new this period: no evolution
        ]
    )["details"]
    rule = json.dumps(POSITION_RULE, ensure_ascii=False)
    change = json.dumps(
        {
            "evolution": 80.0,
            "evolution_ic": [72.295227, 84.792199],  # MOVER from both Wilson intervals
            "evolution_significative": True,
            "methode_evolution": "MOVER (Newcombe 1998 ; Zou et Donner 2008)",
        },
        ensure_ascii=False,
    )[1:-1]
    assert out[("e1", "2023-2024")] == (
        '{"classe_precedente": "tres_insuffisant", "periode_precedente": "2022-2023", '
        f'{change}, "regle_position": {rule}, "position_national": "au-dessus", '
        '"position_objectif": "au-dessus"}'
    )
    assert out[("e1", "2022-2023")] == (
        f'{{"regle_position": {rule}, "position_national": "en dessous", '
        '"position_objectif": "en dessous"}'
    )
    assert json.loads(out[("e2", "2023-2024")])["position_national"] == (
        "non significativement différent"
    )
    national = json.loads(out[("FR", "2023-2024")])  # no class, no position: the change only
    assert list(national) == [
        "periode_precedente",
        "evolution",
        "evolution_ic",
        "evolution_significative",
        "methode_evolution",
    ]
    assert national["evolution"] == pytest.approx(10.0) and national["evolution_significative"]
    assert "evolution" not in json.loads(out[("e2", "2023-2024")])  # new: nothing to compare


def test_a_status_is_the_previous_class_and_blanks_the_value():
    raw = frame(
        [
            ("etablissement", "e1", "2022-2023", 10, 100),
            ("etablissement", "e1", "2023-2024", 50, 100),
        ]
    ).assign(stat_di=[1, 0], stat_nc=[0, 0])
    out = finalize(get_indicator("VACCIN_GRIPPE"), raw).set_index("period")
    assert out.loc["2022-2023", "status"] == "DI" and np.isnan(out.loc["2022-2023", "value"])
    assert pd.isna(out.loc["2022-2023", "details"])  # no value: no position either
    assert json.loads(out.loc["2023-2024", "details"])["classe_precedente"] == "DI"


def test_finish_details_come_first_and_extras_update_them():
    indicator = get_indicator("VACCIN_GRIPPE")

    def finish(indicator, raw):
        out = standard_values(indicator, raw)
        out["details"] = [{"note": "é", "position_national": "remplacée"}, None]
        return out

    out = finalize(
        dataclasses.replace(indicator, finish=finish),
        frame(
            [
                ("etablissement", "e1", "2023-2024", 90, 100),
                ("national", "FR", "2023-2024", 50, 100),
            ]
        ),
    )
    entry = json.loads(out["details"][0])
    assert list(entry) == ["note", "position_national", "regle_position", "position_objectif"]
    assert entry["note"] == "é" and entry["position_national"] == "au-dessus"
    assert '"note": "é"' in out["details"][0]  # not ASCII-escaped


def test_statuses_blank_values_of_any_dtype():
    indicator = get_indicator("ESATIS48H_RECO")

    def finish(indicator, raw):
        out = standard_values(indicator, raw)
        out["value"] = out["value"].astype(object)  # not the usual float column
        return out

    out = finalize(
        dataclasses.replace(indicator, finish=finish),
        frame([("etablissement", "e1", "2024", 10, 29), ("etablissement", "e2", "2024", 40, 50)]),
    )
    assert out["status"][0] == "DI" and pd.isna(out["status"][1])
    assert pd.isna(out["value"][0]) and out["value"][1] == 80


def test_empty_frame():
    out = finalize(get_indicator("VACCIN_GRIPPE"), frame([]))
    assert out.empty and list(out.columns) == OUTPUT_COLUMNS == list(FINALISED_COLUMNS)
