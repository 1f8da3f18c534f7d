"""Finalisation step 1: values and CIs by the standard rules (the CI from stats.ci_method) or
by the indicator's own finish."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.values import standard_values, values
from hospiscope.stats import ci_method


def frame(rows):
    return pd.DataFrame(
        rows, columns=["entity_kind", "entity_id", "period", "numerator", "denominator"]
    )


def with_meta(code, **update):
    indicator = get_indicator(code)
    return dataclasses.replace(indicator, meta=indicator.meta.model_copy(update=update))


RATES = frame(
    [
        ("national", "FR", "2024", 81, 263),
        ("etablissement", "e1", "2024", 0, 0),  # no denominator: no value, no CI
        ("etablissement", "e2", "2024", 3, None),
    ]
)


def test_a_rate_is_numerator_over_denominator_times_factor_with_the_method_ci():
    indicator = with_meta("VACCIN_GRIPPE", ci_method="exact", factor=100.0)
    out = standard_values(indicator, RATES)
    low, high = ci_method("exact").interval(
        np.array([81.0, 0.0, 3.0]), np.array([263.0, 0.0, np.nan]), 0.95
    )
    assert out["value"][0] == pytest.approx(100 * 81 / 263)
    np.testing.assert_array_equal(out["ci_low"], low * 100)
    np.testing.assert_array_equal(out["ci_high"], high * 100)
    assert out["value"][1:].isna().all() and out["ci_low"][1:].isna().all()
    assert out["ci_method"].tolist() == ["Clopper-Pearson"] * 3
    assert out["ci_level"].tolist() == [0.95] * 3


def test_an_observed_over_expected_ratio_has_the_garwood_interval_over_expected():
    indicator = with_meta("VACCIN_GRIPPE", kind="ratio", ci_method="poisson_exact", factor=1.0)
    out = standard_values(indicator, frame([("national", "FR", "2024", 137, 24.19893)]))
    assert out["value"][0] == pytest.approx(137 / 24.19893)
    assert (out["ci_low"][0], out["ci_high"][0]) == pytest.approx(
        (4.753125, 6.692709), rel=1e-6
    )  # R, tests/golden/stats/r_poisson_exact_examples.csv
    assert out["ci_method"][0] == "Garwood"


def test_a_count_has_no_interval_level_or_method():
    out = standard_values(get_indicator("REG_ETAB"), frame([("national", "FR", "r", 12, None)]))
    assert out["value"][0] == 12
    assert np.isnan(out["ci_low"][0]) and np.isnan(out["ci_level"][0])
    assert out["ci_method"][0] is None


def test_the_input_frame_is_left_as_it_was():
    before = RATES.copy()
    standard_values(get_indicator("VACCIN_GRIPPE"), RATES)
    pd.testing.assert_frame_equal(RATES, before)


def test_a_finish_replaces_the_standard_rules_and_rows_are_numbered_from_zero():
    def finish(indicator, raw):
        return raw.assign(value=-1.0).set_index(pd.Index([7, 9, 11]))

    indicator = dataclasses.replace(get_indicator("VACCIN_GRIPPE"), finish=finish)
    out = values(indicator, RATES)
    assert out.index.tolist() == [0, 1, 2] and out["value"].tolist() == [-1.0] * 3
    standard = values(get_indicator("VACCIN_GRIPPE"), RATES.set_index(pd.Index([5, 6, 7])))
    assert standard.index.tolist() == [0, 1, 2] and "ci_low" in standard
