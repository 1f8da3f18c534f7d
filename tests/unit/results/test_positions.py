"""Finalisation step 5: positions of establishments' intervals against the national value of
their period and against the target."""

import dataclasses

import numpy as np
import pandas as pd

from hospiscope.catalogue import get_indicator
from hospiscope.results.positions import POSITION_RULE, national_values, positions
from hospiscope.results.rows import Rows


def table(rows):
    return pd.DataFrame(
        rows, columns=["entity_kind", "entity_id", "period", "value", "ci_low", "ci_high"]
    )


FRAME = table(
    [
        ("national", "FR", "2024", 60.0, 59.0, 61.0),
        ("etablissement", "above", "2024", 80.0, 70.0, 90.0),
        ("etablissement", "below", "2024", 40.0, 30.0, 50.0),
        ("etablissement", "across", "2024", 62.0, 55.0, 70.0),
        ("etablissement", "no-ci", "2024", 62.0, np.nan, np.nan),
        ("etablissement", "alone", "2023", 62.0, 55.0, 70.0),  # no national value in 2023
        ("region", "84", "2024", 10.0, 5.0, 15.0),  # aggregates are not placed
    ]
)


def test_against_the_national_value_and_the_target():
    indicator = get_indicator("VACCIN_GRIPPE")  # target 75
    found = positions(indicator, FRAME, Rows.of(FRAME))
    assert found[1] == {
        "regle_position": POSITION_RULE,
        "position_national": "au-dessus",
        "position_objectif": "non significativement différent",
    }
    assert found[2]["position_national"] == "en dessous"
    assert found[2]["position_objectif"] == "en dessous"
    assert found[3]["position_national"] == "non significativement différent"
    assert found[5] == {"regle_position": POSITION_RULE, "position_objectif": "en dessous"}
    assert found[0] is None and found[4] is None and found[6] is None


def test_without_a_target_only_the_national_position():
    indicator = get_indicator("VACCIN_GRIPPE")
    indicator = dataclasses.replace(
        indicator, meta=indicator.meta.model_copy(update={"target": None})
    )
    found = positions(indicator, FRAME, Rows.of(FRAME))
    assert found[1] == {"regle_position": POSITION_RULE, "position_national": "au-dessus"}


def test_the_national_value_is_the_first_one_with_a_value_of_the_period():
    frame = table(
        [
            ("national", "FR", "2024", np.nan, np.nan, np.nan),
            ("national", "FR", "2024", 3.0, 2.0, 4.0),
            ("national", "FR", "2024", 5.0, 4.0, 6.0),
            ("etablissement", "e", "2023", 1.0, 0.0, 2.0),
            ("etablissement", "e", None, 1.0, 0.0, 2.0),
        ]
    )
    got = national_values(frame, Rows.of(frame))
    assert got[:3].tolist() == [3.0, 3.0, 3.0] and np.isnan(got[3:]).all()
