"""Poisson limits, rates and standardised ratios against published values."""

from dataclasses import asdict

import numpy as np
import pandas as pd
from golden_tables import assert_columns_close, load_golden
from scipy import stats

from hospiscope.stats import byar_interval, poisson_exact_interval, rate, standardised_ratio

PHE_FUNNEL = "phe_funnel_ratio_exact_poisson_limits.csv"
R_EXAMPLES = "r_poisson_exact_examples.csv"
BYAR_EXAMPLES = "byar_published_examples.csv"
BISECTION_PRECISION = {"atol": 1e-6, "rtol": 1e-6}  # see the file's '# precision' note
SEVEN_SIGNIFICANT_DIGITS = 5e-7


def _limits_as_phe_columns(observed: pd.Series, method) -> pd.DataFrame:
    """Our limits under PHE's names: the lower funnel limit sits at the count's UPPER limit."""
    lower_95, upper_95 = method(observed, confidence=0.95)
    lower_998, upper_998 = method(observed, confidence=99.8)
    return pd.DataFrame(
        {
            "lower_2s_exp_events": upper_95,
            "upper_2s_exp_events": lower_95,
            "lower_3s_exp_events": upper_998,
            "upper_3s_exp_events": lower_998,
        }
    )


def test_garwood_limits_match_phe_funnel_table_at_95_and_998():
    table = load_golden(PHE_FUNNEL).frame
    actual = _limits_as_phe_columns(table["Observed_events"], poisson_exact_interval)
    assert_columns_close(actual, table, list(actual.columns), **BISECTION_PRECISION)


def test_byar_is_within_0_2_percent_of_exact_for_ten_events_or_more():
    """PHE Technical Guide "Confidence intervals" (Public Health Data Science, 25 May 2018):
    "for 95% confidence intervals, Byar's method is within 0.2% of the exact value for
    numerators of 10 or more" -- checked against PHE's own exact limits."""
    table = load_golden(PHE_FUNNEL).frame
    table = table[table["Observed_events"] >= 10].reset_index(drop=True)
    actual = _limits_as_phe_columns(table["Observed_events"], byar_interval)
    columns = ["lower_2s_exp_events", "upper_2s_exp_events"]
    assert_columns_close(actual, table, columns, rtol=0.002)


def test_exact_rate_and_smr_match_r_poisson_test_examples():
    table = load_golden(R_EXAMPLES).frame
    rows = []
    for row in table.itertuples():  # two heterogeneous published examples, not data rows
        compute = rate if row.statistic == "rate" else standardised_ratio
        rows.append(asdict(compute(row.numerator, row.denominator, confidence=0.95)))
    actual = pd.DataFrame(rows)
    assert_columns_close(actual, table, ["value", "lower", "upper"], rtol=SEVEN_SIGNIFICANT_DIGITS)


def test_byar_count_and_ratio_limits_match_published_example():
    table = load_golden(BYAR_EXAMPLES).frame
    confidence = 2 * stats.norm.cdf(table["z"].to_numpy()) - 1  # reproduces z = 1.96 exactly
    _, count_upper = byar_interval(table["observed"], confidence=float(confidence[0]))
    ratio = standardised_ratio(
        table["observed"], table["expected"], confidence=float(confidence[0]), method="byar"
    )
    actual = pd.DataFrame(
        {
            "count_upper": count_upper,
            "ratio_lower": ratio["lower"],
            "ratio_upper": ratio["upper"],
        }
    )
    assert_columns_close(actual, table, list(actual.columns), rtol=1e-12)
    assert np.all(ratio["method"] == "Byar")
