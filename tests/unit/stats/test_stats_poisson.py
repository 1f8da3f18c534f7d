"""Poisson limits (Garwood, Byar), rates and standardised ratios."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hospiscope.stats import (
    Estimate,
    byar_interval,
    poisson_exact_interval,
    rate,
    standardised_ratio,
)

LIMITS = [poisson_exact_interval, byar_interval]


def test_exact_limits_leave_alpha_over_two_in_each_tail():
    counts = np.arange(1, 60)
    lower, upper = poisson_exact_interval(counts, 0.95)
    # P(X >= O | mu = lower) = 2.5 % and P(X <= O | mu = upper) = 2.5 % (Garwood 1936)
    np.testing.assert_allclose(stats.poisson.sf(counts - 1, lower), 0.025, rtol=1e-9)
    np.testing.assert_allclose(stats.poisson.cdf(counts, upper), 0.025, rtol=1e-9)


def test_exact_limits_for_zero_events():
    lower, upper = poisson_exact_interval(0, 95)
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)  # chi2(0.975; 2) / 2


def test_byar_follows_the_fingertips_formula():
    count, z = 65.0, stats.norm.isf(0.025)
    lower, upper = byar_interval(count)
    assert lower == pytest.approx(count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3)
    after = count + 1
    assert upper == pytest.approx(after * (1 - 1 / (9 * after) + z / (3 * math.sqrt(after))) ** 3)


def test_byar_lower_bound_is_zero_without_events_and_never_negative():
    lower, upper = byar_interval([0, 1], confidence=99.8)
    assert lower.tolist() == [0.0, 0.0]  # the cube is negative for 1 event at 99.8 %
    assert upper[0] > 0


@pytest.mark.parametrize("limits", LIMITS)
def test_limits_are_vectorised_and_keep_missing(limits):
    lower, upper = limits(np.array([[3, np.nan], [10, 0]]))
    assert lower.shape == (2, 2)
    assert np.isnan(lower[0, 1]) and np.isnan(upper[0, 1])
    assert lower[1, 0] == limits(10)[0]


@pytest.mark.parametrize("limits", LIMITS)
@pytest.mark.parametrize(
    ("count", "message"),
    [
        ([3, -1], r"count must be >= 0; count\[1\] = -1.0"),
        ([3, 2.5], r"count must hold whole numbers \(counts\); count\[1\] = 2.5"),
        ([np.inf], r"count must be finite or missing \(NaN\); count\[0\] = inf"),
    ],
)
def test_invalid_counts_are_refused(limits, count, message):
    with pytest.raises(ValueError, match=message):
        limits(count)


def test_rate_scales_the_count_limits_by_exposure():
    result = rate(25, 40_000, multiplier=100_000, confidence=95)
    lower, upper = poisson_exact_interval(25)
    assert isinstance(result, Estimate)
    assert result.statistic == "rate per 100000"
    assert result.method == "Garwood"  # the one label of the interval (stats.ci_labels)
    assert (result.value, result.lower, result.upper) == pytest.approx(
        (62.5, lower * 2.5, upper * 2.5)
    )
    assert (result.numerator, result.denominator) == (25.0, 40_000.0)


def test_large_multipliers_are_named_without_exponent():
    assert rate(5, 1e7, multiplier=1e6).statistic == "rate per 1000000"
    assert standardised_ratio(5, 4.0, multiplier=0.5).statistic == "standardised ratio x 0.5"


def test_rate_with_byar_and_unit_multiplier():
    result = rate(25, 50, method="byar")
    assert (result.statistic, result.method) == ("rate", "Byar")
    assert result.lower == pytest.approx(byar_interval(25)[0] / 50)


def test_rate_frame_for_vectors_with_zero_and_missing_exposure():
    exposure = pd.Series([1000.0, 0.0, np.nan], index=["a", "b", "c"])
    frame = rate(pd.Series([5, 5, 5], index=exposure.index), exposure, multiplier=1000)
    assert frame.index.tolist() == ["a", "b", "c"]
    assert frame.loc["a", "value"] == pytest.approx(5.0)
    assert frame.loc[["b", "c"], ["value", "lower", "upper"]].isna().all().all()


def test_standardised_ratio_divides_the_observed_limits_by_expected():
    result = standardised_ratio(30, 24.0, multiplier=100)
    lower, upper = poisson_exact_interval(30)
    assert result.statistic == "standardised ratio x 100"
    assert (result.value, result.lower, result.upper) == pytest.approx(
        (125.0, 100 * lower / 24, 100 * upper / 24)
    )


def test_standardised_ratio_names_its_arguments_in_errors():
    with pytest.raises(ValueError, match=r"observed must be >= 0; observed\[0\] = -2.0"):
        standardised_ratio([-2], [3.0])
    with pytest.raises(ValueError, match=r"expected must be >= 0; expected\[1\] = -3.0"):
        standardised_ratio([2, 2], [3.0, -3.0])
    with pytest.raises(ValueError, match=r"observed and expected must have compatible shapes"):
        standardised_ratio([2, 2, 2], [3.0, 3.0])


def test_expected_may_be_fractional_but_observed_may_not():
    assert standardised_ratio(4, 2.5).value == pytest.approx(1.6)
    with pytest.raises(ValueError, match="observed must hold whole numbers"):
        standardised_ratio(4.5, 2.5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "wald"}, r"method must be one of 'exact', 'byar'; got 'wald'"),
        ({"multiplier": -100}, r"multiplier must be > 0"),
        ({"confidence": 100}, r"confidence must be a proportion"),
    ],
)
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        standardised_ratio(4, 2.5, **kwargs)


def test_confidence_95_equals_0_95():
    assert rate([3, 30], 100, confidence=95).equals(rate([3, 30], 100, confidence=0.95))
