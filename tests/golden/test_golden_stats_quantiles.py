"""Quantile definitions (Hyndman & Fan types 7 and 6) against published worked examples."""

import numpy as np
import pandas as pd
from golden_tables import assert_columns_close, load_golden

from hospiscope.stats import quantiles

EXAMPLES = "quantile_published_examples.csv"


def test_published_percentile_examples():
    table = load_golden(EXAMPLES).frame
    computed = [
        quantiles(np.array(row.data.split(), dtype=float), row.prob, method=row.method)
        for row in table.itertuples()  # one published example per row, each its own sample
    ]
    actual = pd.DataFrame({"expected": computed})
    half_unit = 0.5 * 10.0 ** -table["decimals"].to_numpy(dtype=float)
    assert_columns_close(actual, table, ["expected"], atol=half_unit)


def test_every_example_names_its_source():
    golden = load_golden(EXAMPLES)
    documented = {key.partition("[")[2].rstrip("]") for key, _ in golden.notes}
    assert set(golden.frame["source_id"]) <= documented
