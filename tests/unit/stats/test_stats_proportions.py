"""Wilson and Clopper-Pearson intervals, proportion(): validation, NaN, shapes, scaling."""

import numpy as np
import pandas as pd
import pytest

from hospiscope.stats import Estimate, exact_interval, proportion, wilson_interval

INTERVALS = [wilson_interval, exact_interval]


def test_stack_md_reference_values_for_7_out_of_52():
    # docs: /work/shared/spec/stack.md section 6, statsmodels proportion_confint(7, 52)
    assert np.round(wilson_interval(7, 52), 4).tolist() == [0.0668, 0.2527]
    assert np.round(exact_interval(7, 52), 4).tolist() == [0.0559, 0.2579]


@pytest.mark.parametrize("interval", INTERVALS)
def test_scalar_inputs_give_scalars(interval):
    lower, upper = interval(3, 10)
    assert np.ndim(lower) == 0 and np.ndim(upper) == 0
    assert 0 < lower < 0.3 < upper < 1


@pytest.mark.parametrize("interval", INTERVALS)
def test_inputs_broadcast_like_numpy(interval):
    x = np.array([[0], [2]])
    n = np.array([2, 5, 10])
    lower, upper = interval(x, n)
    assert lower.shape == upper.shape == (2, 3)
    expected = interval(2, 5)
    assert (lower[1, 1], upper[1, 1]) == expected


@pytest.mark.parametrize("interval", INTERVALS)
def test_confidence_95_and_0_95_are_the_same(interval):
    as_percentage = np.array(interval([3, 40], [10, 50], 95))
    np.testing.assert_array_equal(as_percentage, np.array(interval([3, 40], [10, 50], 0.95)))


@pytest.mark.parametrize("interval", INTERVALS)
def test_bounds_are_pinned_at_zero_and_one(interval):
    lower, upper = interval([0, 7], [7, 7])
    assert lower[0] == 0.0
    assert upper[1] == 1.0


@pytest.mark.parametrize("interval", INTERVALS)
def test_zero_denominator_and_missing_counts_give_nan(interval):
    lower, upper = interval([0, np.nan, 1], [0, 10, np.nan])
    assert np.isnan(lower).all() and np.isnan(upper).all()


@pytest.mark.parametrize("interval", INTERVALS)
def test_pandas_nullable_integers_are_accepted(interval):
    x = pd.Series([1, None], dtype="Int64")
    lower, _ = interval(x, pd.Series([4, 4], dtype="Int64"))
    assert lower[0] > 0 and np.isnan(lower[1])


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        ([1, -1], [2, 2], r"x must be >= 0; x\[1\] = -1.0"),
        ([1, 1], [2, -3], r"n must be >= 0; n\[1\] = -3.0"),
        ([1, 2, 5], [4, 4, 4], r"x must not exceed n; x\[2\] = 5.0 > n = 4.0"),
        ([1.5, 2], [4, 4], r"x must hold whole numbers \(counts\); x\[0\] = 1.5"),
        ([1, 2], [4, 4.25], r"n must hold whole numbers \(counts\); n\[1\] = 4.25"),
        ([1, 2], [4, np.inf], r"n must be finite or missing \(NaN\); n\[1\] = inf"),
        ([-1, -2], [4, 4], r"x\[0\] = -1.0 \(2 offending values\)"),
        ([[1, 1], [1, -1]], 4, r"x\[1, 1\] = -1.0"),
        (-1, 4, r"x must be >= 0; x = -1.0"),
        ([1, 2, 3], [4, 4], r"x and n must have compatible shapes; got \(3,\) and \(2,\)"),
    ],
)
@pytest.mark.parametrize("interval", INTERVALS)
def test_invalid_inputs_name_the_offending_position(interval, x, n, message):
    with pytest.raises(ValueError, match=message):
        interval(x, n)


def test_text_is_refused_as_non_numeric():
    with pytest.raises(TypeError, match="x must be numeric"):
        wilson_interval(["a"], [3])


def test_scalar_proportion_is_a_self_describing_estimate():
    result = proportion(7, 52)
    assert isinstance(result, Estimate)
    assert result.value == pytest.approx(7 / 52)
    assert (result.statistic, result.method, result.confidence) == ("proportion", "Wilson", 0.95)
    assert (result.numerator, result.denominator) == (7.0, 52.0)
    assert (result.lower, result.upper) == pytest.approx(wilson_interval(7, 52))


def test_percentage_scales_value_and_bounds():
    result = proportion(7, 52, method="exact", multiplier=100, confidence=99.8)
    lower, upper = exact_interval(7, 52, 0.998)
    assert result.statistic == "percentage"
    assert result.method == "Clopper-Pearson"
    assert (result.value, result.lower, result.upper) == pytest.approx(
        (100 * 7 / 52, 100 * lower, 100 * upper)
    )


def test_other_multipliers_are_named():
    assert proportion(7, 52, multiplier=1000).statistic == "proportion per 1000"


def test_vector_proportion_returns_a_frame_aligned_with_a_series():
    x = pd.Series([7, 0, 3], index=["750000001", "750000002", "750000003"])
    frame = proportion(x, pd.Series([52, 0, 3], index=x.index))
    assert frame.index.tolist() == x.index.tolist()
    assert frame.loc["750000001", "value"] == pytest.approx(7 / 52)
    assert frame.loc["750000002", ["value", "lower", "upper"]].isna().all()
    assert frame.loc["750000003", "upper"] == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "wald"}, r"method must be one of 'wilson', 'exact'; got 'wald'"),
        ({"multiplier": 0}, r"multiplier must be > 0"),
        ({"multiplier": np.inf}, r"multiplier must be finite"),
        ({"confidence": 0}, r"confidence must be a proportion"),
    ],
)
def test_proportion_refuses_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        proportion(7, 52, **kwargs)
