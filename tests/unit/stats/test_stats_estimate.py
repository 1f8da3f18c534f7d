"""Estimate: self-describing results, confidence normalisation, the results frame."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from hospiscope.stats import RESULT_COLUMNS, Estimate, estimates_frame, normalise_confidence
from hospiscope.stats.estimate import two_sided_z


@pytest.mark.parametrize(
    ("given", "expected"), [(0.95, 0.95), (95, 0.95), (99.8, 0.998), (0.5, 0.5), (90, 0.9)]
)
def test_confidence_accepts_proportion_or_percentage(given, expected):
    assert normalise_confidence(given) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("given", [0, 1, 100, -0.95, 150, math.nan, 1000])
def test_confidence_outside_both_scales_is_refused(given):
    with pytest.raises(ValueError, match=r"confidence must be a proportion in \(0, 1\)"):
        normalise_confidence(given)


@pytest.mark.parametrize("given", [True, "95", None])
def test_confidence_must_be_a_number(given):
    with pytest.raises(TypeError, match="confidence must be a number"):
        normalise_confidence(given)


def test_two_sided_z_is_the_normal_quantile():
    assert two_sided_z(0.95) == pytest.approx(1.959963984540054, abs=1e-12)
    assert two_sided_z(95) == two_sided_z(0.95)
    assert two_sided_z(99.8) == pytest.approx(3.090232306167813, abs=1e-12)


def _estimate(**changes):
    fields = dict(
        value=0.2, lower=0.1, upper=0.3, confidence=95, statistic="proportion", method="Wilson"
    )
    return Estimate(**{**fields, **changes})


def test_estimate_is_frozen_and_normalises_confidence():
    estimate = _estimate()
    assert estimate.confidence == 0.95
    with pytest.raises(dataclasses.FrozenInstanceError):
        estimate.value = 0.5  # type: ignore[misc]


def test_estimate_refuses_inverted_bounds():
    with pytest.raises(ValueError, match=r"lower \(0.4\) must not exceed upper \(0.3\)"):
        _estimate(lower=0.4)


def test_missing_estimate_is_allowed_and_flagged():
    estimate = _estimate(value=math.nan, lower=math.nan, upper=math.nan)
    assert estimate.is_missing
    assert not _estimate().is_missing


def test_frame_has_the_result_columns_first_then_counts():
    frame = estimates_frame(
        np.array([0.1, 0.2]),
        np.array([0.0, 0.1]),
        np.array([0.3, 0.4]),
        confidence=95,
        statistic="proportion",
        method="Wilson",
        numerator=np.array([1, 2]),
        denominator=10,
    )
    assert tuple(frame.columns) == (*RESULT_COLUMNS, "numerator", "denominator")
    assert frame["confidence"].tolist() == [0.95, 0.95]
    assert frame["statistic"].tolist() == ["proportion", "proportion"]
    assert frame["denominator"].tolist() == [10, 10]


def test_frame_keeps_a_matching_index_and_drops_a_mismatched_one():
    values = np.array([0.1, 0.2])
    common = dict(confidence=0.95, statistic="rate", method="Byar")
    kept = estimates_frame(values, values, values, index=pd.Index(["a", "b"]), **common)
    assert kept.index.tolist() == ["a", "b"]
    dropped = estimates_frame(values, values, values, index=pd.Index(["a"]), **common)
    assert dropped.index.tolist() == [0, 1]


def test_frame_flattens_multidimensional_results():
    grid = np.arange(6.0).reshape(2, 3)
    frame = estimates_frame(grid, grid, grid, confidence=0.9, statistic="rate", method="Byar")
    assert frame["value"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
