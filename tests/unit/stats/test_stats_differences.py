"""Change between two estimates (MOVER): reduces to the normal interval for symmetric
intervals, keeps skew, propagates missing values, refuses a value outside its interval."""

import numpy as np
import pytest

from hospiscope.stats import difference_interval, significant


def test_symmetric_intervals_give_the_normal_difference_interval():
    z = 1.959964
    change, lower, upper = difference_interval(
        74.1, 74.1 - z * 0.2, 74.1 + z * 0.2, 73.5, 73.5 - z * 0.15, 73.5 + z * 0.15
    )
    half = z * np.hypot(0.2, 0.15)
    assert change == pytest.approx(0.6)
    assert (lower, upper) == (pytest.approx(0.6 - half), pytest.approx(0.6 + half))


def test_each_side_borrows_the_half_widths_pointing_its_way():
    # value 0.10 in [0.05, 0.20]; previous 0.30 in [0.25, 0.32]
    change, lower, upper = difference_interval(0.10, 0.05, 0.20, 0.30, 0.25, 0.32)
    assert change == pytest.approx(-0.20)
    assert lower == pytest.approx(-0.20 - np.hypot(0.05, 0.02))
    assert upper == pytest.approx(-0.20 + np.hypot(0.10, 0.05))


def test_vectorised_with_missing_values():
    change, lower, upper = difference_interval(
        [0.5, 0.5], [0.4, np.nan], [0.6, 0.6], [0.3, 0.3], [0.2, 0.2], [0.4, None]
    )
    assert np.isfinite([change[0], lower[0], upper[0]]).all()
    assert np.isnan(lower[1]) and np.isnan(upper[1]) and change[1] == pytest.approx(0.2)
    assert significant(lower, upper).tolist() == [True, False]


def test_a_value_outside_its_interval_is_refused():
    with pytest.raises(ValueError, match="within its confidence interval"):
        difference_interval(0.7, 0.4, 0.6, 0.3, 0.2, 0.4)


def test_significant_when_the_interval_excludes_zero():
    assert significant([0.1, -0.3, -0.1], [0.4, -0.05, 0.2]).tolist() == [True, True, False]
