"""SPC charts and the Making Data Count rules against NHSRplotthedots values (MIT), and
hand-computed cases (the p-chart's: the only p-chart golden values found came from a GPL-3
repository, left out so that no doubt hangs on the licence)."""

import numpy as np
import pandas as pd
import pytest
from golden_tables import assert_columns_close, load_golden

from hospiscope.stats._spc_rules import apply_rules
from hospiscope.stats.spc import p_chart, xmr

SERIES = load_golden("nhsrplotthedots_series.csv").frame
LIMITS = load_golden("nhsrplotthedots_xmr_limits.csv").frame
POINTS = load_golden("nhsrplotthedots_point_types.csv").frame
RULE_CASES = load_golden("nhsrplotthedots_rule_cases.csv").frame
FLOAT_REPRESENTATION = 1e-12


def _series(name: str) -> np.ndarray:
    return SERIES[name].dropna().to_numpy(dtype=float)


def _chart(series: str, screen: bool, rebase_at=None, direction="none"):
    rebase = () if pd.isna(rebase_at) else (int(rebase_at) - 1,)  # 1-based in the file
    return xmr(_series(series), direction=direction, rebase=rebase, screen_outliers=bool(screen))


@pytest.mark.parametrize("case", LIMITS["case"])
def test_xmr_limits_match_nhsrplotthedots(case):
    row = LIMITS.set_index("case").loc[case]
    values = _series(row["series"])
    first, last = int(row["first"]) - 1, int(row["last"])
    chart = xmr(values[first:last], screen_outliers=bool(row["screen_outliers"]))
    actual = chart.points.iloc[[0]].reset_index(drop=True)
    expected = pd.DataFrame([row]).reset_index(drop=True)
    tolerance = {"centre": row["centre_tolerance"], "limits": row["limit_tolerance"]}
    assert_columns_close(actual, expected, ["centre"], atol=tolerance["centre"])
    assert_columns_close(actual, expected, ["lower", "upper"], atol=tolerance["limits"])


def test_a_rebase_gives_each_segment_the_limits_of_its_facet():
    """NHSRplotthedots's facets of 10 points are our segments after a rebase at point 11."""
    chart = xmr(_series("rnorm20"), rebase=[10])
    facets = LIMITS.set_index("case").loc[["summary_facet_0", "summary_facet_1"]]
    actual = chart.segments[["centre"]].assign(
        lower=chart.points.groupby("segment")["lower"].first().to_numpy(),
        upper=chart.points.groupby("segment")["upper"].first().to_numpy(),
    )
    assert_columns_close(actual, facets.reset_index(), ["centre"], atol=5e-4)
    assert_columns_close(actual, facets.reset_index(), ["lower", "upper"], atol=5e-3)


@pytest.mark.parametrize("case", POINTS["case"].unique())
def test_point_sides_and_types_match_nhsrplotthedots(case):
    rows = POINTS[POINTS["case"] == case]
    first = rows.iloc[0]
    chart = _chart(
        first["series"], first["screen_outliers"], first["rebase_at"], first["direction"]
    )
    points = chart.points.iloc[rows["position"].to_numpy() - 1]
    if rows["relative_to_mean"].notna().all():
        sides = np.sign(points["value"] - points["centre"]).to_numpy()
        assert sides.tolist() == rows["relative_to_mean"].tolist()
    if rows["point_type"].notna().all():
        assert points["point_class"].tolist() == rows["point_type"].tolist()


def _vector(text: str) -> np.ndarray:
    return np.array([float(item) for item in str(text).split()])


def _part_of_run(ends: np.ndarray) -> np.ndarray:
    """NHSRplotthedots's ptd_part_of_seven_trend: an end at this point or the 6 next ones."""
    return np.array([np.any(ends[i : i + 7] != 0) for i in range(ends.size)])


@pytest.mark.parametrize(
    "row", list(RULE_CASES.itertuples()), ids=lambda row: f"{row.rule}-{row.case}"
)
def test_run_rules_match_nhsrplotthedots_unit_cases(row):
    given, expected = _vector(row.input), _vector(row.expected)
    wide = np.full(given.size, np.inf)
    if row.rule == "shift":  # input: the side of the mean
        fired = apply_rules(given, np.zeros(given.size), -wide, wide, -wide, wide)
        assert fired["shift"].tolist() == _part_of_run(expected).tolist()
    elif row.rule == "trend":  # input: the values; no limit, no 2-sigma line in the way
        centre = np.full(given.size, given.mean())
        fired = apply_rules(given, centre, -wide, wide, -wide, wide)
        part = _part_of_run(expected)
        assert fired["trend"].tolist() == part.tolist()
        direction = np.sign(expected[expected != 0])
        assert set(fired["sign"][part]) <= set(direction)
    else:  # two_of_three: close to the limits means between 2 and 3 sigma (sigma = 1)
        side = _vector(row.relative_to_mean)
        values = side * np.where(given == 1, 2.5, 0.5)
        ones = np.ones(given.size)
        fired = apply_rules(values, 0 * ones, -3 * ones, 3 * ones, -2 * ones, 2 * ones)
        assert fired["two_of_three"].astype(int).tolist() == expected.astype(int).tolist()


def test_hand_computed_xmr_with_a_screened_moving_range():
    """Every step by hand. Values 10 12 11 13 12 14 30: mean 102 / 7 = 14.571429; moving
    ranges 2 1 2 1 2 16, MR-bar 24 / 6 = 4; 16 >= 3.267 x 4 = 13.068 is screened, MR-bar
    8 / 5 = 1.6; limits 14.571429 -/+ 2.66 x 1.6 = 4.256 -> 10.315429, 18.827429; 2-sigma
    lines -/+ 2.837333 -> 11.734095, 17.408762. 30 is above the upper limit: a concern when
    lower is better. 10 is below the lower limit: an improvement."""
    chart = xmr([10, 12, 11, 13, 12, 14, 30], direction="lower_is_better")
    expected = pd.DataFrame(
        {
            "centre": [102 / 7],
            "lower": [102 / 7 - 4.256],
            "upper": [102 / 7 + 4.256],
            "lower_2s": [102 / 7 - 2 * 4.256 / 3],
            "upper_2s": [102 / 7 + 2 * 4.256 / 3],
        }
    )
    actual = chart.points.iloc[[0]].reset_index(drop=True)
    assert_columns_close(actual, expected, list(expected.columns), atol=1e-12)
    assert chart.segments.loc[0, "mean_moving_range"] == pytest.approx(1.6)
    assert chart.segments.loc[0, "n_screened"] == 1
    classes = chart.points["point_class"].tolist()
    assert classes == ["special_cause_improvement"] + ["common_cause"] * 5 + [
        "special_cause_concern"
    ]
    assert chart.variation == "special_cause_concern"


def test_hand_computed_p_chart_with_a_clipped_limit():
    """x = 2 3 5 of n = 10 20 20: p-bar = 10 / 50 = 0.2; sigma_1 = sqrt(0.16 / 10) =
    0.126491, upper 0.2 + 0.379473 = 0.579473, lower 0.2 - 0.379473 < 0 clipped to 0;
    sigma_2 = sqrt(0.16 / 20) = 0.089443, limits 0.2 -/+ 0.268328 -> 0 (clipped), 0.468328."""
    chart = p_chart([2, 3, 5], [10, 20, 20], min_points=2)
    points = chart.points
    assert points["value"].tolist() == pytest.approx([0.2, 0.15, 0.25])
    assert points["centre"].tolist() == pytest.approx([0.2] * 3)
    assert points["upper"].tolist() == pytest.approx([0.579473, 0.468328, 0.468328], abs=1e-6)
    assert points["lower"].tolist() == [0.0, 0.0, 0.0]
    assert points["lower_2s"].tolist() == pytest.approx([0.0, 0.021115, 0.021115], abs=1e-6)
