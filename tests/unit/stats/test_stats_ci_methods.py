"""CI dispatch by the catalogue's method code: each code gives the interval of numerator /
denominator that its stats function gives, NaN where it has none, and one label."""

import numpy as np
import pytest

from hospiscope.catalogue.model import IndicatorMeta
from hospiscope.stats import (
    CI_LABELS,
    CI_METHOD_CODES,
    byar_interval,
    ci_label,
    ci_method,
    exact_interval,
    poisson_exact_interval,
    proportion,
    rate,
    wilson_interval,
)

NUMERATOR = np.array([81.0, 0.0, 5.0, np.nan, 3.0])
DENOMINATOR = np.array([263.0, 40.0, 0.0, 10.0, np.nan])


def test_every_catalogue_code_has_a_method_and_no_other_code_does():
    codes = IndicatorMeta.model_fields["ci_method"].annotation.__args__
    assert set(codes) == set(CI_METHOD_CODES) == set(CI_LABELS)
    for code in codes:
        assert ci_method(code).code == code and ci_method(code).label == ci_label(code)
    with pytest.raises(ValueError, match="ci_method must be one of"):
        ci_method("garwood")


def test_one_label_per_interval_as_stored_with_results():
    assert {code: ci_label(code) for code in CI_METHOD_CODES} == {
        "wilson": "Wilson",
        "exact": "Clopper-Pearson",
        "poisson_exact": "Garwood",
        "byar": "Byar",
        "normal": "normale",
        "none": None,
    }
    # the estimates of the stats functions carry the same labels
    assert proportion(3, 10).method == ci_label("wilson")
    assert proportion(3, 10, method="exact").method == ci_label("exact")
    assert rate(3, 10).method == ci_label("poisson_exact")
    assert rate(30, 10, method="byar").method == ci_label("byar")


@pytest.mark.parametrize("code, function", [("wilson", wilson_interval), ("exact", exact_interval)])
def test_proportions_where_the_denominator_is_positive(code, function):
    low, high = ci_method(code).interval(NUMERATOR, DENOMINATOR, 0.95)
    expected = function(NUMERATOR[:2], DENOMINATOR[:2], 0.95)
    np.testing.assert_array_equal(low[:2], expected[0])
    np.testing.assert_array_equal(high[:2], expected[1])
    assert np.isnan(low[2:]).all() and np.isnan(high[2:]).all()  # n = 0, x or n missing


@pytest.mark.parametrize(
    "code, function", [("poisson_exact", poisson_exact_interval), ("byar", byar_interval)]
)
def test_counts_are_divided_by_a_positive_denominator(code, function):
    low, high = ci_method(code).interval(NUMERATOR, DENOMINATOR, 95)
    count_low, count_high = function(NUMERATOR, 0.95)
    np.testing.assert_array_equal(low[:2], count_low[:2] / DENOMINATOR[:2])
    np.testing.assert_array_equal(high[:2], count_high[:2] / DENOMINATOR[:2])
    assert np.isnan(low[2:]).all() and np.isnan(high[2:]).all()


def test_the_exact_poisson_interval_of_an_observed_over_expected_ratio():
    # O = 137, E = 24.19893 (Breslow & Day: nickel workers): 4.753125–6.692709 (R, tests/golden)
    low, high = ci_method("poisson_exact").interval(np.array([137.0]), np.array([24.19893]), 0.95)
    assert (low[0], high[0]) == pytest.approx((4.753125, 6.692709), rel=1e-6)


@pytest.mark.parametrize("code", ["normal", "none"])
def test_methods_without_an_interval_from_counts_give_nan(code):
    low, high = ci_method(code).interval(NUMERATOR, DENOMINATOR, 0.95)
    assert low.shape == high.shape == NUMERATOR.shape
    assert np.isnan(low).all() and np.isnan(high).all()
    low[0] = 1.0
    assert np.isnan(high[0])  # two arrays, not one


def test_invalid_counts_are_still_refused():
    with pytest.raises(ValueError, match="x must not exceed n"):
        ci_method("wilson").interval(np.array([5.0]), np.array([3.0]), 0.95)
