"""Wilson and Clopper-Pearson intervals against Newcombe (1998), Table I."""

import pandas as pd
from golden_tables import assert_columns_close, load_golden

from hospiscope.stats import exact_interval, proportion, wilson_interval

NEWCOMBE = "newcombe_1998_table1_proportion_intervals.csv"
FOUR_DECIMALS = 5e-5  # half a unit in the 4th decimal, the published rounding


def test_wilson_matches_newcombe_method_3():
    table = load_golden(NEWCOMBE).frame
    lower, upper = wilson_interval(table["x"], table["n"], confidence=0.95)
    actual = pd.DataFrame({"wilson_lower": lower, "wilson_upper": upper})
    assert_columns_close(actual, table, ["wilson_lower", "wilson_upper"], atol=FOUR_DECIMALS)


def test_clopper_pearson_matches_newcombe_method_5():
    table = load_golden(NEWCOMBE).frame
    lower, upper = exact_interval(table["x"], table["n"], confidence=95)
    actual = pd.DataFrame({"exact_lower": lower, "exact_upper": upper})
    assert_columns_close(actual, table, ["exact_lower", "exact_upper"], atol=FOUR_DECIMALS)


def test_proportion_frame_carries_the_published_limits():
    table = load_golden(NEWCOMBE).frame
    result = proportion(table["x"], table["n"], method="exact")
    actual = result.rename(columns={"lower": "exact_lower", "upper": "exact_upper"})
    assert_columns_close(actual, table, ["exact_lower", "exact_upper"], atol=FOUR_DECIMALS)
    assert set(result["method"]) == {"Clopper-Pearson"}
    assert result["numerator"].tolist() == table["x"].tolist()
