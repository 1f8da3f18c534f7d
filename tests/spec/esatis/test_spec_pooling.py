"""Which responses the e-Satis aggregates pool (a hypothèse hospiscope, stated in every e-Satis
file): the responses of an establishment whose submission was not validated (NV) count neither in the
national, regional or other aggregate values nor in the national case-mix model; the
establishment keeps its NV status. Those of an establishment below 30 usable responses (DI)
do count.

    A 010000024 validated, 3 responses (DI): recommendations 4, 4, 3; scores 100, 100, 66.67
    B 010002129 NV, 2 responses (older, other cell): recommendations 1, 1; scores 0, 0
    national = A alone: recommendation 2 / 3; score 88.89 over 3 respondents
"""

import dataclasses

import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.engines.reference import add_reference_derived, reference_evaluate
from hospiscope.engines.runner import add_derived, evaluate, needed_tables
from hospiscope.results.finalize import finalize

from speclib import REGISTRY, arrow_table, run_spec

THIRD = 100 / 3
RESPONSES = """
finess_et | campaign | response_id | age | sex | admission_mode | self_rated_health | complete | acc_admission | recommendation | import_run_id
010000024 | 2024 | a1 | 30 | F | programme | 2 | true | 4 | 4 | 1
010000024 | 2024 | a2 | 30 | F | programme | 2 | true | 4 | 4 | 1
010000024 | 2024 | a3 | 30 | F | programme | 2 | true | 3 | 3 | 1
010002129 | 2024 | b1 | 80 | H | urgence   | 4 | true | 1 | 1 | 1
010002129 | 2024 | b2 | 80 | H | urgence   | 4 | true | 1 | 1 | 1
"""
PARTICIPATION = """
finess_et | campaign | questionnaire | participated | validated | import_run_id
010000024 | 2024     | mco48h        | true         | true      | 1
010002129 | 2024     | mco48h        | true         | false     | 1
"""
NATIONAL_ONLY = ("etablissement", "national", "region")


def tables():
    return {
        "esatis_mco48h": RESPONSES,
        "esatis_participation": PARTICIPATION,
        "establishments": REGISTRY,
    }


def restricted(code):
    """The indicator at the establishment, national and regional levels (no peer groups)."""
    indicator = get_indicator(code)
    meta = indicator.meta.model_copy(update={"levels": NATIONAL_ONLY})
    return dataclasses.replace(indicator, meta=meta)


def test_nv_responses_are_not_in_the_national_recommendation_rate(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        restricted("ESATIS48H_RECO"),
        tables(),
        {
            ("etablissement", "010000024", "2024"): (2, 3),
            ("etablissement", "010002129", "2024"): (0, 0),  # only its NV marker row
            ("national", "FR", "2024"): (2, 3),
            ("region", "84", "2024"): (2, 3),
        },
    )


def test_nv_responses_are_not_in_the_national_score_nor_its_model(engine, warehouse_schemas):
    indicator = restricted("ESATIS48H_SCORE")
    stored, derived = needed_tables([indicator])
    arrow = {name: warehouse_schemas[name].empty_table() for name in stored}
    arrow |= {name: arrow_table(warehouse_schemas[name], text) for name, text in tables().items()}
    loaded = add_derived(engine, engine.load(arrow), derived)

    summary = engine.execute(indicator.fit.prepare(loaded))
    assert summary["n"].sum() == 3 and set(summary["classe_age"]) == {"18-44"}

    frames = add_reference_derived({n: t.to_pandas() for n, t in arrow.items()}, [indicator])
    assert indicator.fit.reference_prepare(frames)["n"].sum() == 3

    for raw in (evaluate(engine, indicator, loaded), reference_evaluate(indicator, frames)):
        out = finalize(indicator, raw).set_index(["entity_kind", "entity_id"])
        national, b = out.loc[("national", "FR")], out.loc[("etablissement", "010002129")]
        assert national["denominator"] == 3
        assert national["value"] == pytest.approx(8 / 3 * THIRD)  # (3 + 3 + 2) thirds / 3
        assert out.loc[("region", "84"), "value"] == pytest.approx(8 / 3 * THIRD)
        assert b["status"] == "NV" and b["denominator"] == 0
        assert out.loc[("etablissement", "010000024"), "status"] == "DI"


def test_the_rule_is_in_the_methods():
    for code in ("ESATIS48H_SCORE", "ESATISCA_RECO", "ESATISSMR_PEC"):
        assumptions = " ".join(get_indicator(code).meta.assumptions)
        assert "non validé (hypothèse hospiscope)" in assumptions
        assert "DI" in assumptions
