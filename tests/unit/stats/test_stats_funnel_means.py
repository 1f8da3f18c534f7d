"""Funnel limits of mean scores: the spread between respondents recovered from the units'
confidence intervals, normal limits, no widening without over-dispersion."""

from statistics import NormalDist

import numpy as np
import pytest

from hospiscope.stats.funnel_means import mean_funnel_limits

Z95 = NormalDist().inv_cdf(0.975)


def test_sigma_is_recovered_and_limits_are_normal():
    size = np.full(20, 100.0)
    value = np.full(20, 70.0)
    half = Z95 * 10 / np.sqrt(size)  # σ = 10 between respondents
    found = mean_funnel_limits(
        value, size, value - half, value + half, ci_level=0.95, levels={"95": 0.95}
    )
    assert found.sigma == pytest.approx(10) and found.tau2 == 0 and found.target == 70
    assert found.upper["95"][0] == pytest.approx(70 + Z95 * 10 / 10)
    assert not found.high["95"].any() and not found.low["95"].any()


def test_an_outlying_unit_is_flagged_and_no_interval_is_refused():
    size = np.full(12, 400.0)
    value = np.full(12, 70.0)
    value[0] = 80.0
    half = Z95 * 10 / np.sqrt(size)
    found = mean_funnel_limits(
        value, size, value - half, value + half, ci_level=0.95, levels={"95": 0.95}, target=70
    )
    assert found.high["95"][0] and not found.high["95"][1:].any()
    with pytest.raises(ValueError):
        nan = np.full(12, np.nan)
        mean_funnel_limits(value, size, nan, nan, ci_level=0.95, levels={"95": 0.95})
