"""Case-mix adjustment (indirect standardisation) on a small hand-computed case."""

import numpy as np
import pandas as pd
import pytest
from golden_tables import load_golden

from hospiscope.stats.adjustment import adjust, fit_linear_adjustment

# Cell sums of the hand-computed example (entity, age, n, Σ scores).
CELLS = pd.DataFrame(
    {
        "entity": ["A", "A", "B", "B"],
        "age": ["jeune", "age", "jeune", "age"],
        "n": [2, 1, 1, 2],
        "total": [130.0, 90.0, 80.0, 190.0],
    }
)


def test_hand_computed_adjustment():
    golden = load_golden("casemix_adjustment_hand.csv").frame.set_index("entity")
    national = CELLS.groupby("age", as_index=False)[["n", "total"]].sum()
    model = fit_linear_adjustment(national, ("age",))
    assert model.national_mean == pytest.approx(490 / 6)
    cells = CELLS.assign(predicted=model.predict(CELLS))
    by_entity = cells.assign(expected_total=cells["n"] * cells["predicted"]).groupby("entity")
    sums = by_entity[["n", "total", "expected_total"]].sum()
    observed = sums["total"] / sums["n"]
    expected = sums["expected_total"] / sums["n"]
    adjusted = pd.Series(adjust(observed, expected, model.national_mean), index=sums.index)
    for column, values in (("observed", observed), ("expected", expected), ("adjusted", adjusted)):
        assert values.to_numpy() == pytest.approx(golden.loc[values.index, column], abs=5e-5)


def test_national_adjusted_equals_national_observed():
    rng = np.random.default_rng(4)
    cells = pd.DataFrame(
        {
            "age": rng.choice(["a", "b", "c"], 200),
            "sexe": rng.choice(["F", "H"], 200),
            "n": rng.integers(1, 30, 200),
        }
    )
    cells["total"] = cells["n"] * (70 + 5 * (cells["age"] == "b") + rng.normal(0, 3, 200))
    national = cells.groupby(["age", "sexe"], as_index=False)[["n", "total"]].sum()
    model = fit_linear_adjustment(national, ("age", "sexe"))
    expected = np.sum(cells["n"] * model.predict(cells)) / cells["n"].sum()
    assert expected == pytest.approx(model.national_mean)
    probe = pd.DataFrame({"age": ["a", "b"], "sexe": ["F", "F"]})
    effect = np.diff(model.predict(probe))[0]
    assert effect == pytest.approx(5, abs=1.0)  # the planted age effect is recovered
    assert 0 <= model.explained_share <= 1
