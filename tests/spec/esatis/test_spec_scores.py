"""e-Satis scores on every engine: the per-cell sums of the derived table, the national
case-mix model fitted on them, observed and expected sums per establishment, then the
adjusted score — on the hand-computed case of tests/golden/stats/casemix_adjustment_hand.csv
rewritten with item answers — and the same from the pandas reference.

Each respondent answers one item (the others are blank), so their overall score is that
item's: answer 4 → 100, 3 → 66.67, 2 → 33.33 (thirds of 100). Only age varies (sex, admission
mode and self-rated health are the same for all), so the model predicts the national mean of
each age band: young (2 + 3 + 1)/3 = 2 thirds, old (3 + 3 + 2)/3 = 8/3 thirds.

    A: young 3, 4; old 4  (thirds 2, 3; 3) → observed 8/3, expected (2·2 + 8/3)/3 = 20/9 thirds
    B: young 2; old 4, 3  (thirds 1; 3, 2) → observed 2,   expected (2 + 2·8/3)/3 = 22/9 thirds
    national mean 7/3 thirds; adjusted = observed − expected + national:
    A = 25/9 thirds = 92.593, B = 17/9 thirds = 62.963, national = 77.778.

An incomplete questionnaire (C) does not count.
"""

import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.engines.reference import add_reference_derived, reference_evaluate
from hospiscope.engines.runner import add_derived, evaluate, needed_tables
from hospiscope.results.finalize import finalize

from speclib import REGISTRY, arrow_table

THIRD = 100 / 3
RESPONSES = """
finess_et | campaign | response_id | age | sex | admission_mode | self_rated_health | complete | acc_admission | import_run_id
010000024 | 2024 | a1 | 30 | F | programme | 2 | true  | 3 | 1
010000024 | 2024 | a2 | 30 | F | programme | 2 | true  | 4 | 1
010000024 | 2024 | a3 | 80 | F | programme | 2 | true  | 4 | 1
010002129 | 2024 | b1 | 30 | F | programme | 2 | true  | 2 | 1
010002129 | 2024 | b2 | 80 | F | programme | 2 | true  | 4 | 1
010002129 | 2024 | b3 | 80 | F | programme | 2 | true  | 3 | 1
010002129 | 2024 | c1 | 80 | F | programme | 2 | false | 1 | 1
"""


def inputs(schemas, indicator) -> dict:
    stored, _ = needed_tables([indicator])
    tables = {name: schemas[name].empty_table() for name in stored}
    tables["esatis_mco48h"] = arrow_table(schemas["esatis_mco48h"], RESPONSES)
    tables["establishments"] = arrow_table(schemas["establishments"], REGISTRY)
    return tables


def published(indicator, raw: pd.DataFrame) -> pd.DataFrame:
    """Values before statuses (the minimum of 30 responses would hide this tiny case)."""
    meta = indicator.meta.model_copy(update={"min_sample": None})
    tiny = indicator.__class__(meta, indicator.compute, indicator.reference, indicator.finish)
    return finalize(tiny, raw).set_index(["entity_kind", "entity_id"])


def test_overall_score_sums_and_adjustment(engine, warehouse_schemas):
    indicator = get_indicator("ESATIS48H_SCORE")
    arrow = inputs(warehouse_schemas, indicator)
    _, derived = needed_tables([indicator])
    raw = evaluate(engine, indicator, add_derived(engine, engine.load(arrow), derived))
    rows = raw.set_index(["entity_kind", "entity_id"])
    a, b = rows.loc[("etablissement", "010000024")], rows.loc[("etablissement", "010002129")]
    assert a["denominator"] == 3 and b["denominator"] == 3  # C's incomplete answer is out
    assert a["numerator"] == pytest.approx(8 * THIRD)
    assert b["numerator"] == pytest.approx(6 * THIRD)
    assert a["stat_expected"] == pytest.approx(20 / 3 * THIRD)
    assert b["stat_expected"] == pytest.approx(22 / 3 * THIRD)
    assert a["stat_sq"] == pytest.approx((2**2 + 3**2 + 3**2) * THIRD**2)  # in thirds: 2, 3, 3

    values = published(indicator, raw)["value"]
    assert values[("etablissement", "010000024")] == pytest.approx(25 / 9 * THIRD)
    assert values[("etablissement", "010002129")] == pytest.approx(17 / 9 * THIRD)
    assert values[("national", "FR")] == pytest.approx(7 / 3 * THIRD)
    assert values[("region", "84")] == pytest.approx(7 / 3 * THIRD)  # all of the country

    frames = {name: table.to_pandas() for name, table in arrow.items()}
    expected = reference_evaluate(indicator, add_reference_derived(frames, [indicator]))
    reference = published(indicator, expected)["value"]
    assert reference.sort_index().to_numpy() == pytest.approx(values.sort_index().to_numpy())


def test_dimension_score_reads_its_items_only(engine, warehouse_schemas):
    """acc_admission belongs to « accueil »: the nursing-care score has no respondent."""
    arrow = inputs(warehouse_schemas, get_indicator("ESATIS48H_ACCUEIL"))
    for code, respondents in (("ESATIS48H_ACCUEIL", 6), ("ESATIS48H_PEC_INFIRMIER", 0)):
        indicator = get_indicator(code)
        _, derived = needed_tables([indicator])
        tables = add_derived(engine, engine.load(arrow), derived)
        if respondents == 0:
            with pytest.raises(ValueError, match="no individual"):
                evaluate(engine, indicator, tables)
            continue
        raw = evaluate(engine, indicator, tables)
        national = raw[raw["entity_kind"] == "national"].iloc[0]
        assert national["denominator"] == respondents
