"""Hypothesis properties of funnel limits: ordered around the target, adjusted ones wider."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hospiscope.stats import funnel_proportion, funnel_ratio

RATIO_LIMITS = st.sampled_from(["spiegelhalter", "fingertips", "funnelplotr"])
PROPORTION_LIMITS = st.sampled_from(["spiegelhalter", "wilson"])
OVERDISPERSION = st.sampled_from(["none", "multiplicative", "additive"])
TRANSFORMS = st.sampled_from(["sqrt", "log"])
TRIM_METHODS = st.sampled_from(["winsorise", "truncate"])
TOLERANCE = 1e-12


@st.composite
def ratio_data(draw):
    units = draw(st.integers(min_value=1, max_value=40))
    expected = draw(
        st.lists(st.floats(min_value=0.01, max_value=5e4), min_size=units, max_size=units)
    )
    scale = draw(st.floats(min_value=0.2, max_value=5.0))
    noise = draw(st.lists(st.floats(min_value=0.0, max_value=3.0), min_size=units, max_size=units))
    observed = np.round(np.array(expected) * scale * np.array(noise))
    return observed, np.array(expected)


@st.composite
def proportion_data(draw):
    units = draw(st.integers(min_value=1, max_value=40))
    sizes = draw(
        st.lists(st.integers(min_value=1, max_value=20_000), min_size=units, max_size=units)
    )
    shares = draw(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=units, max_size=units))
    size = np.array(sizes, dtype=float)
    return np.floor(size * np.array(shares)), size


def assert_ordered(table, target):
    for tail in ("", "_adjusted"):
        chain = [
            table[f"lower_998{tail}"].to_numpy(),
            table[f"lower_95{tail}"].to_numpy(),
            np.full(len(table), target),
            table[f"upper_95{tail}"].to_numpy(),
            table[f"upper_998{tail}"].to_numpy(),
        ]
        for smaller, larger in itertools.pairwise(chain):
            assert np.all(smaller <= larger + TOLERANCE * np.maximum(1.0, np.abs(larger)))
    for level in ("95", "998"):
        assert np.all(table[f"lower_{level}_adjusted"] <= table[f"lower_{level}"])
        assert np.all(table[f"upper_{level}_adjusted"] >= table[f"upper_{level}"])
    assert np.all(table["lower_998_adjusted"] >= 0)


def assert_flags_nested(units):
    for side in ("high", "low"):
        for tail in ("", "_adjusted"):
            assert not (units[f"{side}_998{tail}"] & ~units[f"{side}_95{tail}"]).any()
        for level in ("95", "998"):
            assert not (units[f"{side}_{level}_adjusted"] & ~units[f"{side}_{level}"]).any()


@settings(deadline=None, max_examples=150)
@given(
    ratio_data(),
    st.floats(min_value=0.2, max_value=5.0),
    RATIO_LIMITS,
    OVERDISPERSION,
    TRANSFORMS,
    TRIM_METHODS,
)
def test_ratio_limits_are_ordered_and_adjustment_only_widens(
    data, target, limits, overdispersion, transform, trim_method
):
    observed, expected = data
    result = funnel_ratio(
        observed,
        expected,
        target=target,
        limits=limits,
        overdispersion=overdispersion,
        transform=transform,
        trim_method=trim_method,
        min_units=3,
        grid_points=60,
    )
    assert_ordered(result.limits, target)
    assert_ordered(result.units, target)
    assert_flags_nested(result.units)
    assert np.isnan(result.phi) or (result.phi >= 0 and result.tau2 >= 0)
    assert 0 <= result.n_winsorised <= result.n_used <= result.n_units


@settings(deadline=None, max_examples=150)
@given(
    proportion_data(),
    st.floats(min_value=0.01, max_value=0.99),
    PROPORTION_LIMITS,
    OVERDISPERSION,
)
def test_proportion_limits_are_ordered_inside_zero_one(data, target, limits, overdispersion):
    numerator, size = data
    result = funnel_proportion(
        numerator,
        size,
        target=target,
        limits=limits,
        overdispersion=overdispersion,
        min_units=3,
        grid_points=60,
    )
    assert_ordered(result.limits, target)
    assert_ordered(result.units, target)
    assert_flags_nested(result.units)
    assert np.all(result.limits["upper_998_adjusted"] <= 1.0)
