"""Funnel-plot limits, flags and over-dispersion against published values.

* PHEindicatormethods (UKHSA): proportion limits and flags ("wilson" convention, pooled
  target), ratio flags and the exact Poisson funnel table ("fingertips" convention, and its
  exact relation to Spiegelhalter's interpolated limits);
* FunnelPlotR (NHS-R): chi-square Poisson limits ("funnelplotr" convention) and the dispersion
  ratio phi of its SHMI method (log z-scores, truncation).
"""

import numpy as np
import pandas as pd
import pytest
from golden_tables import assert_columns_close, load_golden

from hospiscope.stats import funnel_proportion, funnel_ratio

PHE_RATIO_TABLE = "phe_funnel_ratio_exact_poisson_limits.csv"
PHE_RATIO_FLAGS = "phe_funnel_ratio_significance.csv"
PHE_PROPORTION_FLAGS = "phe_funnel_proportion_significance.csv"
PHE_PROPORTION_LIMITS = {
    # file: (rows of the input file used, tolerance in percent = half a unit + float noise)
    "phe_funnel_proportion_limits.csv": (None, 5e-7 + 1e-12),
    "phe_funnel_proportion_limits_axis_variation.csv": (31000, 5e-9 + 1e-12),
}
PHE_PERCENT_COLUMNS = {
    "lower_95": "Lower2s0025limit",
    "upper_95": "Upper2s0025limit",
    "lower_998": "Lower3s0001limit",
    "upper_998": "Upper3s0001limit",
}
# The Fingertips macro bisects E to about 1e-7 (E + O + 1)^2 / (O + 1) (see the file's note):
# a few 1e-6 in relative terms for small counts, which carries over to the limit.
PHE_RATIO_RTOL = 1e-5


def _phe_labels(units: pd.DataFrame, order: list[tuple[str, str]]) -> np.ndarray:
    conditions = [units[column].to_numpy() for column, _ in order]
    return np.select(conditions, [label for _, label in order], "Not significant")


def test_proportion_flags_match_phe_fingertips_for_303_trusts():
    table = load_golden(PHE_PROPORTION_FLAGS).frame
    result = funnel_proportion(
        table["numerator"], table["denominator"], table["Area"], target="pooled", limits="wilson"
    )
    order = [
        ("low_998", "Low (0.001)"),
        ("low_95", "Low (0.025)"),
        ("high_998", "High (0.001)"),
        ("high_95", "High (0.025)"),
    ]
    labels = _phe_labels(result.units, order)
    mismatches = table.loc[labels != table["significance"].to_numpy(), "Area"].tolist()
    assert mismatches == []


@pytest.mark.parametrize("name", sorted(PHE_PROPORTION_LIMITS))
def test_proportion_limits_and_baseline_match_phe_tables(name):
    below, tolerance = PHE_PROPORTION_LIMITS[name]
    inputs = load_golden(PHE_PROPORTION_FLAGS).frame
    if below is not None:
        inputs = inputs[inputs["denominator"] < below]
    expected = load_golden(name).frame
    result = funnel_proportion(
        inputs["numerator"], inputs["denominator"], target="pooled", limits="wilson"
    )
    limits = result.limits_at(expected["Population"])
    actual = pd.DataFrame(
        {phe: 100 * limits[ours].to_numpy() for ours, phe in PHE_PERCENT_COLUMNS.items()}
    )
    actual["Baseline"] = 100 * result.target
    assert_columns_close(actual, expected, [*PHE_PERCENT_COLUMNS.values()], atol=tolerance)
    assert_columns_close(actual, expected, ["Baseline"], atol=tolerance)


def test_ratio_flags_match_phe_fingertips_for_300_units():
    table = load_golden(PHE_RATIO_FLAGS).frame
    result = funnel_ratio(table["obs"], table["expected"], limits="fingertips")
    order = [
        ("high_998", "High (0.001)"),
        ("high_95", "High (0.025)"),
        ("low_998", "Low (0.001)"),
        ("low_95", "Low (0.025)"),
    ]
    labels = _phe_labels(result.units, order)
    assert (labels != table["significance"].to_numpy()).sum() == 0


def _limit_counts(limits: str, table: pd.DataFrame) -> dict[str, np.ndarray]:
    """Count implied by each limit (limit x E) at the published E of each column."""
    result = funnel_ratio([1.0], [1.0], limits=limits)  # only its limit settings are used
    counts = {}
    for suffix, sigma in (("95", "2s"), ("998", "3s")):
        for bound in ("lower", "upper"):
            precision = table[f"{bound}_{sigma}_exp_events"].to_numpy()
            at = result.limits_at(precision)[f"{bound}_{suffix}"].to_numpy()
            counts[f"{bound}_{sigma}"] = at * precision
    return counts


def test_fingertips_ratio_limits_pass_through_the_phe_funnel_table():
    """At the published E, the count O lies exactly on the limit (both sides)."""
    table = load_golden(PHE_RATIO_TABLE).frame
    observed = table["Observed_events"].to_numpy(dtype=float)
    for name, count in _limit_counts("fingertips", table).items():
        np.testing.assert_allclose(count, observed, rtol=PHE_RATIO_RTOL, err_msg=name)
    # the ISR columns (100 O / E) are the limits themselves
    result = funnel_ratio([1.0], [1.0], limits="fingertips")
    at = result.limits_at(table["lower_2s_exp_events"])
    actual = pd.DataFrame({"lower_2s_isr": 100 * at["lower_95"].to_numpy()})
    assert_columns_close(actual, table, ["lower_2s_isr"], rtol=PHE_RATIO_RTOL)


def test_spiegelhalter_limits_relate_exactly_to_the_phe_funnel_table():
    """Spiegelhalter's interpolated lower limit passes through (E, O / E) like the Fingertips
    one; its upper limit passes through (E, (O - 1) / E), one event lower. For O = 1 that is
    0, below the target, so the limit is bounded by the target there."""
    table = load_golden(PHE_RATIO_TABLE).frame
    observed = table["Observed_events"].to_numpy(dtype=float)
    counts = _limit_counts("spiegelhalter", table)
    for name in ("lower_2s", "lower_3s"):
        np.testing.assert_allclose(counts[name], observed, rtol=PHE_RATIO_RTOL, err_msg=name)
    several = observed >= 2
    for name in ("upper_2s", "upper_3s"):
        np.testing.assert_allclose(
            counts[name][several] + 1, observed[several], rtol=PHE_RATIO_RTOL, err_msg=name
        )


def test_chi_square_limits_match_funnelplotr():
    table = load_golden("funnelplotr_poisson_limits.csv").frame
    result = funnel_ratio([1.0], [1.0], limits="funnelplotr")
    limits = result.limits_at(table["expected"])
    actual = pd.DataFrame(
        {
            "ll95": limits["lower_95"],
            "ul95": limits["upper_95"],
            "ll998": limits["lower_998"],
            "ul998": limits["upper_998"],
        }
    )
    assert_columns_close(actual, table, ["ll95", "ll998"], atol=5e-8)
    assert_columns_close(actual, table, ["ul95", "ul998"], atol=5e-7)


def test_shmi_dispersion_ratio_matches_funnelplotr():
    table = load_golden("funnelplotr_dispersion_ratio.csv").frame
    result = funnel_ratio(
        table["numerator"],
        table["denominator"],
        table["group"],
        transform="log",
        trim_method="truncate",
        winsorise=0.1,
        min_units=2,  # FunnelPlotR estimates phi whatever the number of units
    )
    assert result.n_used == 6 and result.n_winsorised == 0
    assert abs(result.phi - table["phi"].iloc[0]) <= 5e-7
