"""SPC charts: edge cases (few points, constant series, missing months), segments, baseline,
directions, assurance, p-chart inputs, French labels and the JSON form."""

import json

import numpy as np
import pandas as pd
import pytest

from hospiscope.stats import SpcChart, p_chart, xmr
from hospiscope.stats._spc_rules import apply_rules
from hospiscope.stats._spc_text import ASSURANCE_LABELS, CLASS_LABELS, RULE_LABELS
from hospiscope.stats.spc import ASSURANCES, POINT_CLASSES, RULES

# Alternating around 10, so no run fires: the centre is 10 and MR-bar is 2; limits
# 10 -/+ 5.32, 2-sigma lines 10 -/+ 3.5467. It ends below the mean.
CALM = [11.0, 9.0] * 6


def _classes(chart: SpcChart) -> list[str]:
    return chart.points["point_class"].tolist()


def test_fewer_than_the_minimum_points_give_no_limits_and_a_french_reason():
    chart = xmr([1.0, 2.0, 3.0, 2.0, 1.0])
    assert chart.points[["centre", "lower", "upper"]].isna().all().all()
    assert set(_classes(chart)) == {"insufficient"}
    assert chart.variation is None
    assert "5 points utilisables pour les limites (minimum 6)" in chart.note
    assert "pas de limites de contrôle" in chart.segments.loc[0, "reason"]


def test_fewer_than_twelve_points_give_trial_limits():
    chart = xmr(CALM[:8])
    assert bool(chart.segments.loc[0, "trial"])
    assert chart.note == "limites provisoires : moins de 12 points"
    assert not bool(xmr(CALM).segments.loc[0, "trial"])
    assert xmr(CALM).note == ""


def test_a_constant_series_has_limits_on_the_centre_and_no_signal():
    chart = xmr([5.0] * 12, direction="higher_is_better")
    assert chart.points[["lower", "centre", "upper"]].eq(5.0).all().all()
    assert set(_classes(chart)) == {"common_cause"}
    assert "série constante" in chart.note


def test_after_a_constant_baseline_any_change_is_beyond_the_limits():
    chart = xmr([5.0] * 12 + [6.0], baseline=12, direction="higher_is_better")
    assert _classes(chart)[-1] == "special_cause_improvement"
    assert chart.points["rule"].iloc[-1] == "beyond_limits"


def test_missing_months_are_kept_out_of_the_centre_and_the_moving_ranges():
    chart = xmr([9.0, 11.0, np.nan, 9.0, 11.0, 9.0, 11.0, 9.0, 11.0])
    assert chart.points["centre"].iloc[0] == 10.0
    assert np.isnan(chart.points["moving_range"].iloc[3])  # no range across the gap
    assert chart.segments.loc[0, "mean_moving_range"] == 2.0
    assert _classes(chart)[2] == "missing"
    assert chart.segments.loc[0, "n_missing"] == 1


def test_a_missing_month_breaks_a_shift():
    # Six months above the mean, a gap, then six more: no run of 7 on either side.
    values = CALM + [12.0] * 6 + [np.nan] + [12.0] * 6
    broken = xmr(values, baseline=12)
    assert not broken.points["shift"].any()
    whole = xmr(CALM + [12.0] * 7, baseline=12)
    assert whole.points["shift"].iloc[-7:].all()
    assert whole.points["side"].iloc[-1] == "high"


def test_a_missing_month_breaks_a_trend():
    values = [1.0, 2.0, 3.0, np.nan, 4.0, 5.0, 6.0, 7.0]
    assert not xmr(values).points["trend"].any()
    assert xmr([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]).points["trend"].all()


def test_the_variation_is_the_class_of_the_last_month_present():
    chart = xmr([*CALM, 10.0, np.nan])
    assert chart.variation == "common_cause"
    assert chart.variation_label == "variation de cause commune"


def test_rebase_points_start_segments_with_their_own_limits_and_runs():
    values = CALM + [19.0, 21.0] * 6
    chart = xmr(values, rebase=[12], direction="higher_is_better")
    assert chart.points["segment"].tolist() == [1] * 12 + [2] * 12
    assert chart.segments["centre"].tolist() == [10.0, 20.0]
    assert set(_classes(chart)) == {"common_cause"}
    assert np.isnan(chart.points["moving_range"].iloc[12])
    unsplit = xmr(values, direction="higher_is_better")
    assert unsplit.points["shift"].any()  # 12 months above the overall mean


def test_a_short_segment_gets_no_limits_while_the_others_do():
    chart = xmr([*CALM, 20.0, 22.0, 21.0], rebase=[12])
    assert chart.segments["n_limits"].tolist() == [12, 3]
    assert _classes(chart)[-1] == "insufficient"
    assert chart.note.startswith("période 2 : 3 points utilisables")


def test_a_baseline_fixes_the_limits_on_the_first_months():
    chart = xmr([*CALM, 30.0], baseline=12, direction="lower_is_better")
    assert chart.points["centre"].iloc[-1] == 10.0
    assert chart.segments.loc[0, "n_limits"] == 12
    assert _classes(chart)[-1] == "special_cause_concern"
    assert "12 premiers points" in chart.note


@pytest.mark.parametrize(
    ("direction", "high", "low"),
    [
        ("higher_is_better", "special_cause_improvement", "special_cause_concern"),
        ("lower_is_better", "special_cause_concern", "special_cause_improvement"),
        ("none", "special_cause_neutral_high", "special_cause_neutral_low"),
    ],
)
def test_the_direction_orients_special_causes(direction, high, low):
    chart = xmr([-30.0, *CALM, 50.0], baseline=12, direction=direction)
    assert _classes(chart)[0] == low
    assert _classes(chart)[-1] == high


def test_a_point_beyond_the_limits_inside_a_trend_keeps_the_limit_rule():
    chart = xmr([*CALM, 10.5, 11.0, 11.5, 12.0, 12.5, 13.0, 25.0], baseline=12)
    last = chart.points.iloc[-1]
    assert bool(last["trend"]) and bool(last["beyond_limits"])
    assert last["rule"] == "beyond_limits"
    assert chart.points["rule"].iloc[-2] == "trend"
    assert chart.points["rule_label"].iloc[-2] == "tendance : 7 points consécutifs en hausse"


def test_two_out_of_three_beyond_two_sigma_on_one_side():
    chart = xmr([*CALM, 14.0, 10.5, 14.0], baseline=12)
    assert chart.points["two_of_three"].tolist()[-3:] == [True, False, True]
    assert chart.points["rule_label"].iloc[-1] == (
        "2 points sur 3 au-delà de 2 sigmas au-dessus de la moyenne"
    )


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        ("higher_is_better", 20.0, "consistent_fail"),
        ("higher_is_better", 1.0, "consistent_pass"),
        ("higher_is_better", 10.0, "inconsistent"),
        ("lower_is_better", 20.0, "consistent_pass"),
        ("lower_is_better", 1.0, "consistent_fail"),
        ("none", 20.0, None),
    ],
)
def test_assurance_compares_the_target_with_the_limits(direction, target, expected):
    chart = xmr(CALM, direction=direction, target=target)
    assert chart.assurance == expected
    assert chart.assurance_label == ASSURANCE_LABELS.get(expected, "")


def test_assurance_uses_the_limits_of_the_last_segment():
    chart = xmr(CALM + [29.0, 31.0] * 6, rebase=[12], direction="higher_is_better", target=20)
    assert chart.assurance == "consistent_pass"


def test_no_assurance_without_a_target_or_limits():
    assert xmr(CALM, direction="higher_is_better").assurance is None
    assert xmr([1.0, 2.0], direction="higher_is_better", target=1.0).assurance is None


def test_p_chart_months_without_denominator_are_missing():
    chart = p_chart([1, 2, 0, 3, 2, 1, 2], [10, 10, 0, 10, 10, 10, 10])
    assert _classes(chart)[2] == "missing"
    assert np.isnan(chart.points["value"].iloc[2])
    assert np.isnan(chart.points["upper"].iloc[2])
    assert chart.points["centre"].iloc[0] == pytest.approx(11 / 60)


def test_p_chart_limits_stay_within_zero_and_one():
    chart = p_chart([0, 1, 0, 1, 0, 1], [2, 2, 2, 2, 2, 2])
    lines = chart.points[["lower", "lower_2s", "upper_2s", "upper"]]
    assert (lines >= 0).all().all() and (lines <= 1).all().all()


def test_p_chart_refuses_bad_counts():
    with pytest.raises(ValueError, match="numerators must not exceed denominators"):
        p_chart([3], [2])
    with pytest.raises(ValueError, match="differ in length"):
        p_chart([1, 2], [3])
    with pytest.raises(ValueError, match="denominators must be >= 0"):
        p_chart([0], [-1])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"direction": "up"}, "direction must be one of"),
        ({"rebase": [0]}, "rebase positions must lie in"),
        ({"rebase": [12]}, "rebase positions must lie in"),
        ({"rebase": [2.5]}, "whole numbers"),
        ({"baseline": 3}, "baseline must be a whole number >= min_points"),
        ({"min_points": 1}, "min_points must be a whole number >= 2"),
        ({"target": float("nan")}, "target must be a finite number"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        xmr(CALM, **options)


def test_empty_and_infinite_series_are_refused():
    with pytest.raises(ValueError, match="at least one month"):
        xmr([])
    with pytest.raises(ValueError, match="finite or missing"):
        xmr([1.0, np.inf])


def test_the_index_of_a_series_is_kept_and_months_become_text_in_json():
    months = pd.period_range("2024-01", periods=12, freq="M")
    chart = xmr(pd.Series(CALM, index=months))
    assert chart.points.index.equals(months)
    data = json.loads(json.dumps(chart.to_dict()))
    assert data["points"][0]["period"] == "2024-01"
    assert data["segments"][0]["first"] == "2024-01"
    assert data["points"][0]["rule"] is None
    assert data["variation_label"] == "variation de cause commune"


def test_every_rule_class_and_assurance_has_a_french_label():
    assert set(RULE_LABELS) == set(RULES)
    assert set(CLASS_LABELS) == set(POINT_CLASSES)
    assert set(ASSURANCE_LABELS) == set(ASSURANCES)


def test_the_method_names_the_screening_only_when_it_is_applied():
    assert "3,267" in xmr(CALM).method
    assert "3,267" not in xmr(CALM, screen_outliers=False).method
    assert "Making Data Count" in p_chart([1] * 6, [10] * 6).method


def test_a_trend_crossing_the_mean_is_classed_by_its_direction():
    """NHSRplotthedots issue #171: points of a rising trend below the mean are improvements
    too when higher is better."""
    chart = xmr(
        [*CALM, 7.0, 8.0, 9.0, 10.5, 11.0, 12.0, 13.0], baseline=12, direction="higher_is_better"
    )
    assert chart.points["rule"].iloc[-7:].eq("trend").all()
    assert set(_classes(chart)[-7:]) == {"special_cause_improvement"}


def test_where_two_trends_meet_the_peak_takes_the_following_trend():
    """As NHSRplotthedots: the step to the next point when it is in a trend too (limits
    kept out of the way, so that the trend is the retained rule everywhere)."""
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0])
    wide = np.full(values.size, np.inf)
    fired = apply_rules(values, np.full(values.size, 4.0), -wide, wide, -wide, wide)
    assert fired["trend"].all()
    assert fired["sign"].tolist() == [1] * 6 + [-1] * 7
