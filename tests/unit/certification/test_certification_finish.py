"""From the sums of the engines to published certification results: the decision in force is
a class (its code) with its rank as value, the next-visit window and the schedule status at
31 December in the details, and the class of the previous year; an imperative criterion is
met or not for an establishment (no CI) and a share with a Wilson CI above."""

import json

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.finalize import finalize
from hospiscope.stats import wilson_interval


def decision_rows():
    return pd.DataFrame(
        {
            "entity_kind": ["etablissement"] * 5,
            "entity_id": ["010000024", "010000024", "140000100", "970100400", "980500722"],
            "period": ["2023", "2024", "2024", "2024", "2024"],
            "numerator": [2.0, 3.0, 1.0, 2.0, 2.0],
            "denominator": [np.nan] * 5,
            "stat_decision_date": [20230315.0, 20240410.0, 20231003.0, 20231231.0, 20231230.0],
            "stat_visit_date": [20221201.0, 20240115.0, 20220601.0, 20230901.0, np.nan],
            "stat_cycle": [5.0] * 5,
        }
    )


def test_decision_class_value_and_schedule():
    out = finalize(get_indicator("CERT_DECISION"), decision_rows()).set_index(
        ["entity_id", "period"]
    )
    assert out["class"].tolist() == [
        "certifie_sous_conditions",
        "certifie",
        "non_certifie",
        "certifie_sous_conditions",
        "certifie_sous_conditions",
    ]
    assert out["value"].tolist() == [2.0, 3.0, 1.0, 2.0, 2.0]
    assert out["status"].isna().all() and out["ci_low"].isna().all()

    conditions = json.loads(out.loc[("010000024", "2023"), "details"])
    assert conditions["date_decision"] == "2023-03-15"
    assert conditions["date_visite"] == "2022-12-01"
    assert conditions["cycle"] == 5
    assert conditions["decision_de_l_annee"] is True
    assert (conditions["visite_attendue_du"], conditions["visite_attendue_au"]) == (
        "2023-09-15",
        "2024-03-15",
    )
    assert conditions["calendrier_au_31_12"] == "visite_attendue"

    certified = json.loads(out.loc[("010000024", "2024"), "details"])
    assert certified["classe_precedente"] == "certifie_sous_conditions"
    assert certified["periode_precedente"] == "2023"
    assert certified["calendrier_au_31_12"] == "a_jour"
    assert certified["visite_attendue_au"] == "2028-04-10"

    not_certified = json.loads(out.loc[("140000100", "2024"), "details"])
    assert not_certified["alerte_ars"] is True
    assert not_certified["decision_de_l_annee"] is False
    assert not_certified["calendrier_au_31_12"] == "visite_attendue"  # 12–24 months

    # Under conditions since 31/12/2023: 31/12/2024 is the last day of the 6–12 month window;
    # since 30/12/2023, the follow-up visit is late on 31/12/2024.
    last_day = json.loads(out.loc[("970100400", "2024"), "details"])
    assert last_day["calendrier_au_31_12"] == "visite_attendue"
    late = json.loads(out.loc[("980500722", "2024"), "details"])
    assert late["calendrier_au_31_12"] == "en_retard"
    assert late["date_visite"] is None  # the visit date is optional in the decisions file


def criterion_rows():
    return pd.DataFrame(
        {
            "entity_kind": ["etablissement", "etablissement", "national", "region"],
            "entity_id": ["010000024", "140000100", "FR", "84"],
            "period": ["2024"] * 4,
            "numerator": [1.0, 0.0, 37.0, 0.0],
            "denominator": [1.0, 1.0, 40.0, 0.0],
        }
    )


def test_criterion_met_or_not_and_shares():
    indicator = get_indicator("CERT_IMP_URGENCES_VITALES")
    out = finalize(indicator, criterion_rows())
    assert out["class"].tolist()[:2] == ["satisfait", "non_satisfait"]
    assert out["class"].iloc[2:].isna().all()
    assert out["value"].tolist()[:3] == [100.0, 0.0, 92.5]
    assert np.isnan(out["value"].iloc[3])
    assert out["ci_low"].iloc[:2].isna().all() and pd.isna(out["ci_method"].iloc[0])
    low, high = wilson_interval(np.array([37.0]), np.array([40.0]), 0.95)
    assert out["ci_low"].iloc[2] == pytest.approx(low[0] * 100)
    assert out["ci_high"].iloc[2] == pytest.approx(high[0] * 100)
    assert out["ci_method"].iloc[2] == "Wilson"
    assert np.isnan(out["ci_low"].iloc[3])


def test_class_labels_cover_the_classes_set():
    decision = dict(get_indicator("CERT_DECISION").meta.class_labels)
    assert list(decision) == [
        "certifie_mention",
        "certifie",
        "certifie_sous_conditions",
        "non_certifie",
    ]
    criterion = dict(get_indicator("CERT_IMP_DOULEUR").meta.class_labels)
    assert list(criterion) == ["satisfait", "non_satisfait"]
