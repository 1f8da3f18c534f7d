"""Quantiles and peer bands within strata: directions, boundaries, ties, small strata."""

import numpy as np
import pandas as pd
import pytest

from hospiscope.stats import percentile_bands, quantiles, quartile_bands

ONE_TO_TEN = np.arange(1.0, 11.0)


@pytest.mark.parametrize("method", ["linear", "weibull"])
def test_quantiles_agree_with_numpy_definitions(method):
    values = np.random.default_rng(7).normal(size=57)
    probs = np.linspace(0, 1, 21)
    np.testing.assert_allclose(
        quantiles(values, probs, method=method), np.quantile(values, probs, method=method)
    )


def test_quantiles_ignore_missing_values():
    assert quantiles([1.0, np.nan, 3.0], 0.5) == 2.0


def test_quantiles_keep_the_shape_of_probs():
    assert np.ndim(quantiles(ONE_TO_TEN, 0.5)) == 0
    assert quantiles(ONE_TO_TEN, [[0.0, 1.0]]).tolist() == [[1.0, 10.0]]


def test_whole_positions_land_exactly_on_an_order_statistic():
    # 0.8 * 5 is 4 in exact arithmetic; the cut must be exactly x[4] = 5, not 5 +- 1 ulp
    assert quantiles(np.arange(1.0, 7.0), 0.8) == 5.0


def test_quantiles_without_values_are_missing():
    assert np.isnan(quantiles([np.nan, np.nan], 0.5))
    assert np.isnan(quantiles([], [0.2, 0.8])).all()


@pytest.mark.parametrize(
    ("values", "probs", "method", "error", "message"),
    [
        ([1.0], 1.2, "linear", ValueError, r"probs must lie in \[0, 1\]; probs = 1.2"),
        ([1.0], [0.5, np.nan], "linear", ValueError, r"probs\[1\] = nan"),
        ([1.0, np.inf], 0.5, "linear", ValueError, r"values must be finite or missing"),
        ([1.0], 0.5, "nearest", ValueError, r"method must be one of 'linear', 'weibull'"),
        (["a"], 0.5, "linear", TypeError, r"values must be numeric"),
    ],
)
def test_quantiles_refuse_bad_input(values, probs, method, error, message):
    with pytest.raises(error, match=message):
        quantiles(values, probs, method=method)


def _bands(values, strata=None, **options):
    return percentile_bands(values, strata, **options)["band"].tolist()


def test_twenty_percent_best_and_worst_when_higher_is_better():
    bands = _bands(ONE_TO_TEN, direction="higher_is_better")
    assert bands == ["worst"] * 2 + ["middle"] * 6 + ["best"] * 2


def test_direction_lower_is_better_swaps_best_and_worst():
    bands = _bands(ONE_TO_TEN, direction="lower_is_better")
    assert bands == ["best"] * 2 + ["middle"] * 6 + ["worst"] * 2


def test_no_direction_gives_no_judgement_and_is_the_default():
    assert _bands(ONE_TO_TEN) == ["low"] * 2 + ["middle"] * 6 + ["high"] * 2


def test_a_value_equal_to_a_cut_point_is_in_the_extreme_band():
    table = percentile_bands(np.arange(1.0, 7.0), direction="higher_is_better")
    # type 7 on 1..6: 20th percentile = 2 exactly, 80th = 5 exactly
    assert table["low_cut"].iloc[0] == 2.0 and table["high_cut"].iloc[0] == 5.0
    assert table["band"].tolist() == ["worst", "worst", "middle", "middle", "best", "best"]


def test_ties_share_a_band():
    values = [1, 2, 2, 2, 5, 6, 7, 8, 8, 8]
    table = percentile_bands(values, direction="higher_is_better")
    assert table.groupby("value")["band"].nunique().max() == 1
    assert table.loc[table["value"] == 8, "band"].unique().tolist() == ["best"]


def test_a_value_on_both_cuts_cannot_be_ranked_and_is_middle():
    values = [3.0] * 9 + [9.0]  # both cut points are 3
    assert _bands(values, direction="higher_is_better") == ["middle"] * 9 + ["best"]


def test_each_stratum_has_its_own_cut_points():
    values = np.concatenate([ONE_TO_TEN, ONE_TO_TEN * 100])
    strata = ["CHU"] * 10 + ["CH"] * 10
    table = percentile_bands(values, strata, direction="higher_is_better")
    assert table.loc[table["stratum"] == "CHU", "high_cut"].unique().tolist() == [8.2]
    assert table.loc[table["stratum"] == "CH", "high_cut"].unique().tolist() == [820.0]
    assert table["band"].tolist() == 2 * (["worst"] * 2 + ["middle"] * 6 + ["best"] * 2)


def test_small_strata_are_insufficient_with_no_cut_points():
    strata = ["big"] * 5 + ["small"] * 4
    table = percentile_bands(np.arange(9.0), strata, min_group_size=5)
    small = table[table["stratum"] == "small"]
    assert small["band"].unique().tolist() == ["insufficient"]
    assert small[["low_cut", "high_cut"]].isna().all().all()
    assert "insufficient" not in table.loc[table["stratum"] == "big", "band"].tolist()


def test_missing_values_and_strata_are_labelled_and_not_counted():
    values = [1.0, 2.0, np.nan, 4.0, 5.0, 6.0, 7.0]
    strata = ["a", "a", "a", None, "a", "a", "a"]
    table = percentile_bands(values, strata, min_group_size=5)
    assert table["band"].tolist()[2:4] == ["missing", "missing"]
    assert table["stratum_size"].tolist() == [5, 5, 5, 0, 5, 5, 5]


def test_empty_input_and_all_missing_strata():
    assert percentile_bands([]).empty
    table = quartile_bands([1.0, 2.0], [None, None])
    assert table["band"].tolist() == ["missing", "missing"]
    assert table["stratum_size"].tolist() == [0, 0]


def test_output_keeps_the_index_of_a_series():
    values = pd.Series(ONE_TO_TEN, index=[f"F{i}" for i in range(10)])
    table = percentile_bands(values, direction="lower_is_better")
    assert table.index.tolist() == values.index.tolist()
    assert list(table.columns) == [
        "value", "stratum", "stratum_size", "low_cut", "high_cut", "band"
    ]  # fmt: skip
    assert table.loc["F0", "band"] == "best"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"direction": "up"}, r"direction must be one of"),
        ({"low": 0.8, "high": 0.2}, r"high must lie in \(0.8, 1\); got 0.2"),
        ({"low": 0.0}, r"low must lie in \(0, 1\); got 0.0"),
        ({"min_group_size": 1}, r"min_group_size must be >= 2; got 1"),
        ({"min_group_size": 2.5}, r"min_group_size must be a whole number; got 2.5"),
        ({"strata": ["a"] * 3}, r"strata must have one entry per value; got 3 for 10"),
        ({"method": "nearest"}, r"method must be one of 'linear', 'weibull'"),
    ],
)
def test_percentile_bands_refuse_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        percentile_bands(ONE_TO_TEN, **options)


def test_values_must_be_one_dimensional():
    with pytest.raises(ValueError, match=r"values must be one-dimensional; got shape \(2, 5\)"):
        percentile_bands(ONE_TO_TEN.reshape(2, 5))


def test_quartiles_split_eight_values_in_pairs():
    table = quartile_bands(np.arange(1.0, 9.0), direction="higher_is_better")
    assert table["quartile"].tolist() == ["Q1", "Q1", "Q2", "Q2", "Q3", "Q3", "Q4", "Q4"]
    assert table["band"].tolist() == ["worst"] * 2 + ["middle"] * 4 + ["best"] * 2


def test_quartile_boundaries_follow_the_documented_rule():
    table = quartile_bands(np.arange(1.0, 10.0))  # q25 = 3, median = 5, q75 = 7 exactly
    assert (table["q25"].iloc[0], table["median"].iloc[0], table["q75"].iloc[0]) == (3, 5, 7)
    quartile_of = dict(zip(table["value"], table["quartile"], strict=True))
    assert [quartile_of[v] for v in (3.0, 4.0, 5.0, 6.0, 7.0)] == ["Q1", "Q2", "Q2", "Q3", "Q4"]


@pytest.mark.parametrize(
    ("direction", "labels"),
    [
        ("higher_is_better", ("worst", "best")),
        ("lower_is_better", ("best", "worst")),
        ("none", ("low", "high")),
    ],
)
def test_quartile_band_depends_on_direction(direction, labels):
    bands = quartile_bands(np.arange(1.0, 9.0), direction=direction)["band"].tolist()
    assert (bands[0], bands[-1]) == labels
    assert bands[2:6] == ["middle"] * 4


def test_quartiles_with_heavy_ties_and_small_strata():
    values = [4.0] * 7 + [1.0, 2.0, 3.0]
    strata = ["tied"] * 7 + ["small"] * 3
    table = quartile_bands(values, strata, direction="higher_is_better")
    assert table["quartile"].tolist()[:7] == ["Q2"] * 7
    assert table["band"].tolist() == ["middle"] * 7 + ["insufficient"] * 3


def test_grouped_cut_points_match_numpy_per_stratum():
    rng = np.random.default_rng(11)
    values = rng.gamma(2.0, size=5_000)
    values[rng.choice(values.size, 50, replace=False)] = np.nan
    strata = rng.integers(0, 40, size=values.size)
    table = percentile_bands(values, strata, low=0.1, high=0.9, method="weibull")
    for stratum, rows in table.groupby("stratum"):
        present = values[(strata == stratum) & ~np.isnan(values)]
        expected = np.quantile(present, [0.1, 0.9], method="weibull")
        np.testing.assert_allclose(rows[["low_cut", "high_cut"]].iloc[0], expected)
