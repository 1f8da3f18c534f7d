"""ISO-ORTHO: observed and expected infections per establishment from a national logistic
model (fitted on the same tiny tables), on every engine and against the pandas reference."""

import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.engines.runner import add_derived, evaluate
from hospiscope.results.finalize import finalize

from speclib import arrow_table

# Two establishments; in the "young" cell A has 1 infection in 2 stays and B 0 in 2; in the
# "old" cell A 0 in 1 and B 1 in 1 (plus a knee stay that PTH must ignore). With a single
# binary variable varying (classe_age), the fitted probabilities are the cell rates:
# young 1/4, old 1/2 — so expected A = 2·0.25 + 0.5 = 1.0, B = 2·0.25 + 0.5 = 1.0.
STAYS = """
finess_et | year | stay_id | procedure | age | sex | obesity | diabetes | comorbidity | infection | import_run_id
010000024 | 2024 | s1 | PTH | 50 | F | false | false | 0 | true | 1
010000024 | 2024 | s2 | PTH | 50 | F | false | false | 0 | false | 1
010000024 | 2024 | s3 | PTH | 80 | F | false | false | 0 | false | 1
010002129 | 2024 | s4 | PTH | 50 | F | false | false | 0 | false | 1
010002129 | 2024 | s5 | PTH | 50 | F | false | false | 0 | false | 1
010002129 | 2024 | s6 | PTH | 80 | F | false | false | 0 | true | 1
010002129 | 2024 | s7 | PTG | 80 | F | false | false | 0 | true | 1
"""


def test_observed_and_expected(engine, warehouse_schemas):
    indicator = get_indicator("ISO_PTH")
    names = ("arthroplasty_stays", "establishments", "peer_groups")
    inputs = {
        n: arrow_table(warehouse_schemas[n], STAYS)
        if n == "arthroplasty_stays"
        else warehouse_schemas[n].empty_table()
        for n in names
    }
    tables = add_derived(engine, engine.load(inputs), [])
    raw = evaluate(engine, indicator, tables)
    rows = raw.set_index(["entity_kind", "entity_id"])
    assert rows.loc[("etablissement", "010000024"), "numerator"] == 1
    assert rows.loc[("etablissement", "010000024"), "denominator"] == pytest.approx(1.0)
    assert rows.loc[("etablissement", "010002129"), "denominator"] == pytest.approx(1.0)
    assert rows.loc[
        ("national", "FR"), ["numerator", "denominator", "stat_sejours"]
    ].tolist() == pytest.approx([2, 2.0, 6])
    out = finalize(indicator, raw).set_index("entity_id")
    assert out.loc["FR", "value"] == pytest.approx(1.0)
    assert out.loc["FR", "ci_method"] == "Garwood"
    assert out.loc["010000024", "status"] == "DI"  # 3 stays < 20


def test_reference_agrees(warehouse_schemas):
    indicator = get_indicator("ISO_PTH")
    stays = arrow_table(warehouse_schemas["arthroplasty_stays"], STAYS).to_pandas()
    summary = indicator.fit.reference_prepare({"arthroplasty_stays": stays})
    parameters = indicator.fit.fit(summary)
    frame = indicator.reference({"arthroplasty_stays": stays, "iso_pth__modele": parameters})
    frame = frame.set_index("entity_id")
    assert frame["numerator"].to_dict() == {"010000024": 1, "010002129": 1}
    assert frame["denominator"].tolist() == pytest.approx([1.0, 1.0])
    assert isinstance(parameters, pd.DataFrame) and set(parameters["predicted"].round(6)) == {
        0.25,
        0.5,
    }
