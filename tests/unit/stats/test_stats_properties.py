"""Hypothesis properties: bounds ordered, estimates inside, nesting in confidence, invariance."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hospiscope.stats import (
    byar_interval,
    exact_interval,
    percentile_bands,
    poisson_exact_interval,
    quantiles,
    wilson_interval,
)

PROPORTION_INTERVALS = [wilson_interval, exact_interval]
POISSON_INTERVALS = [poisson_exact_interval, byar_interval]
confidences = st.floats(min_value=0.5, max_value=0.999)
counts = st.integers(min_value=0, max_value=100_000)


@st.composite
def numerator_denominator(draw, max_n=5_000):
    n = draw(st.integers(min_value=1, max_value=max_n))
    return draw(st.integers(min_value=0, max_value=n)), n


@st.composite
def nested_confidences(draw):
    low = draw(st.floats(min_value=0.5, max_value=0.99))
    return low, draw(st.floats(min_value=low + 1e-3, max_value=0.999))


@settings(deadline=None, max_examples=200)
@given(numerator_denominator(), confidences)
def test_proportion_bounds_are_ordered_and_contain_the_estimate(pair, confidence):
    x, n = pair
    for interval in PROPORTION_INTERVALS:
        lower, upper = interval(x, n, confidence)
        assert 0.0 <= lower <= x / n <= upper <= 1.0, interval.__name__


@settings(deadline=None, max_examples=200)
@given(numerator_denominator(), nested_confidences())
def test_proportion_intervals_widen_with_confidence(pair, levels):
    x, n = pair
    for interval in PROPORTION_INTERVALS:
        narrow, wide = (interval(x, n, level) for level in levels)
        assert wide[0] <= narrow[0] and narrow[1] <= wide[1], interval.__name__


@settings(deadline=None, max_examples=200)
@given(counts, confidences)
def test_poisson_bounds_are_ordered_and_contain_the_count(count, confidence):
    for interval in POISSON_INTERVALS:
        lower, upper = interval(count, confidence)
        assert 0.0 <= lower <= count <= upper, interval.__name__


@settings(deadline=None, max_examples=200)
@given(counts, nested_confidences())
def test_poisson_intervals_widen_with_confidence(count, levels):
    for interval in POISSON_INTERVALS:
        narrow, wide = (interval(count, level) for level in levels)
        assert wide[0] <= narrow[0] and narrow[1] <= wide[1], interval.__name__


@settings(deadline=None, max_examples=50)
@given(st.lists(numerator_denominator(max_n=500), min_size=1, max_size=30), confidences)
def test_vectorised_call_equals_scalar_calls(pairs, confidence):
    x, n = (np.array(column) for column in zip(*pairs, strict=True))
    for interval in PROPORTION_INTERVALS:
        vector = np.array(interval(x, n, confidence))
        scalars = np.array([interval(xi, ni, confidence) for xi, ni in pairs]).T
        np.testing.assert_allclose(vector, scalars, rtol=1e-14, atol=0)


sample_values = hnp.arrays(
    float,
    st.integers(min_value=1, max_value=60),
    elements=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False) | st.just(np.nan),
)


@settings(deadline=None, max_examples=200)
@given(sample_values, st.sampled_from(["linear", "weibull"]))
def test_quantiles_are_monotone_bounded_and_match_numpy(values, method):
    present = values[~np.isnan(values)]
    probs = np.linspace(0, 1, 11)
    result = quantiles(values, probs, method=method)
    if present.size == 0:
        assert np.isnan(result).all()
        return
    assert np.all(np.diff(result) >= 0)
    assert present.min() <= result.min() and result.max() <= present.max()
    # our positions snap to whole ranks, numpy's may be 1 ulp off: allow rounding noise
    noise = 1e-12 * (1 + np.abs(present).max())
    np.testing.assert_allclose(result, np.quantile(present, probs, method=method), atol=noise)


@settings(deadline=None, max_examples=100)
@given(
    hnp.arrays(float, 40, elements=st.integers(0, 12).map(float)),  # small range: many ties
    hnp.arrays(int, 40, elements=st.integers(0, 3)),
    st.randoms(use_true_random=False),
)
def test_bands_do_not_depend_on_row_order_and_respect_value_order(values, strata, random):
    table = percentile_bands(values, strata, direction="higher_is_better")
    order = list(range(values.size))
    random.shuffle(order)
    shuffled = percentile_bands(values[order], strata[order], direction="higher_is_better")
    assert shuffled["band"].tolist() == table["band"].iloc[order].tolist()
    for _, rows in table.groupby("stratum"):
        best = rows.loc[rows["band"] == "best", "value"]
        worst = rows.loc[rows["band"] == "worst", "value"]
        if len(best) and len(worst):
            assert best.min() > worst.max()
        assert (best >= rows["high_cut"].iloc[0]).all()
