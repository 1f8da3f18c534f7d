"""Finalisation step 2: statuses at establishment level, in their order of precedence, and the
values they withhold."""

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.rows import Rows
from hospiscope.results.statuses import WITHHELD, apply_statuses, blank, statuses


def table(**columns):
    size = len(next(iter(columns.values())))
    base = {
        "entity_kind": ["etablissement"] * size,
        "entity_id": [f"e{i}" for i in range(size)],
        "period": ["2024"] * size,
    }
    return pd.DataFrame({**base, **columns})


def found(frame, min_sample=None, sample_column="denominator"):
    return statuses(min_sample, frame, sample_column, Rows.of(frame).establishment).tolist()


def test_markers_in_order_of_precedence_nc_nr_nv_di():
    frame = table(
        denominator=[0, 0, 0, 10, 10],
        stat_nc=[1, 0, 0, 0, 0],
        stat_nr=[1, 1, 0, 1, 0],  # NR needs no answer: the 4th row answered
        stat_nv=[1, 1, 1, 1, 0],
        stat_di=[1, 1, 1, 1, 1],
    )
    assert found(frame) == ["NC", "NR", "NV", "NV", "DI"]


def test_below_the_minimum_sample_missing_counting_as_zero():
    frame = table(denominator=[29, 30, None], stat_sejours=[40, 10, 40])
    published = [pd.isna(status) for status in found(frame, min_sample=30)]
    assert published == [False, True, False]  # 29 and a missing count are below 30
    assert found(frame, min_sample=30)[0] == found(frame, min_sample=30)[2] == "DI"
    assert found(frame, min_sample=20, sample_column="stat_sejours")[1] == "DI"
    assert all(pd.isna(status) for status in found(frame))  # no minimum, no marker


def test_aggregates_are_always_published():
    frame = table(denominator=[1, 1], stat_nc=[1, 1]).assign(entity_kind=["region", "national"])
    assert all(pd.isna(status) for status in found(frame, min_sample=30))


def test_withheld_values_are_blanked_and_the_counts_kept():
    indicator = get_indicator("ESATIS48H_RECO")  # DI below 30
    frame = table(
        numerator=[10, 40],
        denominator=[29, 50],
        value=[34.5, 80.0],
        ci_low=[20.0, 70.0],
        ci_high=[50.0, 90.0],
    )
    apply_statuses(indicator.meta, frame, Rows.of(frame))
    assert frame["status"][0] == "DI" and pd.isna(frame["status"][1])
    assert frame.loc[0, WITHHELD].isna().all() and frame.loc[1, WITHHELD].tolist() == [
        80.0,
        70.0,
        90.0,
    ]
    assert frame.loc[0, ["numerator", "denominator"]].tolist() == [10, 29]


@pytest.mark.parametrize("dtype", [float, object])
def test_blank_works_on_float_and_other_columns(dtype):
    frame = pd.DataFrame({"value": [1.0, 2.0, 3.0], "ci_low": [0.5, 1.5, 2.5]}).astype(dtype)
    blank(frame, np.array([True, False, True]), ["value", "ci_low"])
    assert frame["value"].isna().tolist() == [True, False, True]
    assert frame["ci_low"].isna().tolist() == [True, False, True]
    assert frame.loc[1, "value"] == 2.0
