"""The change between two proportions with MOVER limits from their Wilson intervals against
Newcombe (1998, differences), worked example (d)."""

import pandas as pd
from golden_tables import assert_columns_close, load_golden

from hospiscope.stats import difference_interval, wilson_interval

NEWCOMBE = "newcombe_1998_difference_example_d.csv"
FOUR_DECIMALS = 5e-5


def test_mover_wilson_matches_newcombe_method_10():
    table = load_golden(NEWCOMBE).frame
    p1, p2 = table["x1"] / table["n1"], table["x2"] / table["n2"]
    l1, u1 = wilson_interval(table["x1"], table["n1"], confidence=0.95)
    l2, u2 = wilson_interval(table["x2"], table["n2"], confidence=0.95)
    change, lower, upper = difference_interval(p1, l1, u1, p2, l2, u2)
    actual = pd.DataFrame({"difference": change, "lower": lower, "upper": upper})
    assert_columns_close(actual, table, ["difference", "lower", "upper"], atol=FOUR_DECIMALS)
