"""Certification decisions: the decision in force at 31 December of each year (a decision
stays in force until the next one), the shares of each decision among establishments with
one, the decisions taken during the year, and the outcome of follow-up visits."""

import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.engines.levels import base_expression, level_inputs

from speclib import arrow_table, as_dict, run_spec

# 010000024: under conditions, certified after its follow-up visit. 970100400 is absent from
# the registry (national figure only); its decisions straddle 31 December 2023.
DECISIONS = """
finess_et | decision_date | decision                 | cycle | visit_date | import_run_id
010000024 | 2021-11-15    | certifie_sous_conditions | 5     | 2021-06-10 | 2
010000024 | 2022-09-20    | certifie                 | 5     | 2022-06-01 | 2
010002129 | 2022-03-01    | certifie_mention         | 5     | 2021-12-01 | 2
140000100 | 2023-05-10    | non_certifie             | 5     | 2023-01-15 | 2
970100400 | 2023-12-31    | certifie_sous_conditions | 5     | 2023-09-01 | 2
970100400 | 2024-01-01    | non_certifie             | 5     | 2023-11-01 | 2
"""
TABLES = {
    "certification_decisions": DECISIONS,
}
# Establishments with a decision in force at 31 December, per level.
WITH_DECISION = {
    ("national", "FR", "2021"): 1,
    ("national", "FR", "2022"): 2,
    ("national", "FR", "2023"): 4,
    ("national", "FR", "2024"): 4,
    ("region", "84", "2021"): 1,
    ("region", "84", "2022"): 2,
    ("region", "84", "2023"): 2,
    ("region", "84", "2024"): 2,
    ("region", "28", "2023"): 1,
    ("region", "28", "2024"): 1,
    ("statut", "public", "2021"): 1,
    ("statut", "public", "2022"): 1,
    ("statut", "public", "2023"): 2,
    ("statut", "public", "2024"): 2,
    ("statut", "prive_lucratif", "2022"): 1,
    ("statut", "prive_lucratif", "2023"): 1,
    ("statut", "prive_lucratif", "2024"): 1,
    ("strate:type", "CH", "2021"): 1,
    ("strate:type", "CH", "2022"): 1,
    ("strate:type", "CH", "2023"): 1,
    ("strate:type", "CH", "2024"): 1,
    ("strate:type", "PRIVE", "2022"): 1,
    ("strate:type", "PRIVE", "2023"): 1,
    ("strate:type", "PRIVE", "2024"): 1,
    ("strate:type", "PSY", "2023"): 1,
    ("strate:type", "PSY", "2024"): 1,
}
# Numerators of each share (absent = 0).
SHARES = {
    "CERT_PART_CERTIFIES": {
        ("national", "FR", "2022"): 2,
        ("national", "FR", "2023"): 2,
        ("national", "FR", "2024"): 2,
        ("region", "84", "2022"): 2,
        ("region", "84", "2023"): 2,
        ("region", "84", "2024"): 2,
        ("statut", "public", "2022"): 1,
        ("statut", "public", "2023"): 1,
        ("statut", "public", "2024"): 1,
        ("statut", "prive_lucratif", "2022"): 1,
        ("statut", "prive_lucratif", "2023"): 1,
        ("statut", "prive_lucratif", "2024"): 1,
        ("strate:type", "CH", "2022"): 1,
        ("strate:type", "CH", "2023"): 1,
        ("strate:type", "CH", "2024"): 1,
        ("strate:type", "PRIVE", "2022"): 1,
        ("strate:type", "PRIVE", "2023"): 1,
        ("strate:type", "PRIVE", "2024"): 1,
    },
    "CERT_PART_MENTION": {
        ("national", "FR", "2022"): 1,
        ("national", "FR", "2023"): 1,
        ("national", "FR", "2024"): 1,
        ("region", "84", "2022"): 1,
        ("region", "84", "2023"): 1,
        ("region", "84", "2024"): 1,
        ("statut", "prive_lucratif", "2022"): 1,
        ("statut", "prive_lucratif", "2023"): 1,
        ("statut", "prive_lucratif", "2024"): 1,
        ("strate:type", "PRIVE", "2022"): 1,
        ("strate:type", "PRIVE", "2023"): 1,
        ("strate:type", "PRIVE", "2024"): 1,
    },
    "CERT_PART_CONDITIONS": {
        ("national", "FR", "2021"): 1,
        ("national", "FR", "2023"): 1,  # 970100400 decided on 31/12/2023
        ("region", "84", "2021"): 1,
        ("statut", "public", "2021"): 1,
        ("strate:type", "CH", "2021"): 1,
    },
    "CERT_PART_NON_CERTIFIES": {
        ("national", "FR", "2023"): 1,
        ("national", "FR", "2024"): 2,
        ("region", "28", "2023"): 1,
        ("region", "28", "2024"): 1,
        ("statut", "public", "2023"): 1,
        ("statut", "public", "2024"): 1,
        ("strate:type", "PSY", "2023"): 1,
        ("strate:type", "PSY", "2024"): 1,
    },
}


def reference_agrees(engine, schemas, indicator, tables):
    """The pandas reference equals the engine's per-establishment table (also for
    indicators published at aggregate levels only)."""
    arrow = {name: arrow_table(schemas[name], text) for name, text in tables.items()}
    for name in level_inputs(indicator):
        arrow.setdefault(name, schemas[name].empty_table())
    loaded = engine.load(arrow)
    base = engine.execute(base_expression(indicator, loaded)).assign(entity_kind="etablissement")
    reference = indicator.reference({n: t.to_pandas() for n, t in arrow.items()})
    assert as_dict(reference.assign(entity_kind="etablissement")) == as_dict(base)


def test_decision_in_force_at_31_december(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("CERT_DECISION"),
        TABLES,
        {
            ("etablissement", "010000024", "2021"): (2, None),
            ("etablissement", "010000024", "2022"): (3, None),
            ("etablissement", "010000024", "2023"): (3, None),
            ("etablissement", "010000024", "2024"): (3, None),
            ("etablissement", "010002129", "2022"): (4, None),
            ("etablissement", "010002129", "2023"): (4, None),
            ("etablissement", "010002129", "2024"): (4, None),
            ("etablissement", "140000100", "2023"): (1, None),
            ("etablissement", "140000100", "2024"): (1, None),
            ("etablissement", "970100400", "2023"): (2, None),
            ("etablissement", "970100400", "2024"): (1, None),
        },
    )


@pytest.mark.parametrize("code", list(SHARES))
def test_shares_of_each_decision(engine, warehouse_schemas, code):
    numerators = SHARES[code]
    assert set(numerators) <= set(WITH_DECISION)
    expected = {key: (numerators.get(key, 0), n) for key, n in WITH_DECISION.items()}
    indicator = get_indicator(code)
    run_spec(engine, warehouse_schemas, indicator, TABLES, expected)
    reference_agrees(engine, warehouse_schemas, indicator, TABLES)


def test_decisions_taken_during_the_year(engine, warehouse_schemas):
    indicator = get_indicator("CERT_DECISIONS_ANNEE")
    run_spec(
        engine,
        warehouse_schemas,
        indicator,
        TABLES,
        {
            ("national", "FR", "2021"): (1, None),
            ("national", "FR", "2022"): (2, None),
            ("national", "FR", "2023"): (2, None),
            ("national", "FR", "2024"): (1, None),
            ("region", "84", "2021"): (1, None),
            ("region", "84", "2022"): (2, None),
            ("region", "28", "2023"): (1, None),
            ("statut", "public", "2021"): (1, None),
            ("statut", "public", "2022"): (1, None),
            ("statut", "public", "2023"): (1, None),
            ("statut", "prive_lucratif", "2022"): (1, None),
            ("strate:type", "CH", "2021"): (1, None),
            ("strate:type", "CH", "2022"): (1, None),
            ("strate:type", "PRIVE", "2022"): (1, None),
            ("strate:type", "PSY", "2023"): (1, None),
        },
    )
    reference_agrees(engine, warehouse_schemas, indicator, TABLES)


def test_follow_up_visits_cumulated(engine, warehouse_schemas):
    """010000024 certified after its follow-up (2022); 970100400 not (2024)."""
    indicator = get_indicator("CERT_SUIVI_CERTIFIES")
    run_spec(
        engine,
        warehouse_schemas,
        indicator,
        TABLES,
        {
            ("national", "FR", "2022"): (1, 1),
            ("national", "FR", "2023"): (1, 1),
            ("national", "FR", "2024"): (1, 2),
            ("region", "84", "2022"): (1, 1),
            ("region", "84", "2023"): (1, 1),
            ("region", "84", "2024"): (1, 1),
            ("statut", "public", "2022"): (1, 1),
            ("statut", "public", "2023"): (1, 1),
            ("statut", "public", "2024"): (1, 1),
            ("strate:type", "CH", "2022"): (1, 1),
            ("strate:type", "CH", "2023"): (1, 1),
            ("strate:type", "CH", "2024"): (1, 1),
        },
    )
    reference_agrees(engine, warehouse_schemas, indicator, TABLES)


def test_no_decision_no_result(engine, warehouse_schemas):
    empty = {"certification_decisions": DECISIONS.strip().splitlines()[0]}
    for code in ("CERT_DECISION", "CERT_PART_CERTIFIES", "CERT_SUIVI_CERTIFIES"):
        run_spec(engine, warehouse_schemas, get_indicator(code), empty, {})


def test_reference_reads_dates_as_pandas_gives_them():
    """The warehouse hands dates to pandas as objects or as timestamps: same result."""
    indicator = get_indicator("CERT_DECISION")
    frame = pd.DataFrame(
        {
            "finess_et": ["010000024"],
            "decision_date": [pd.Timestamp("2022-09-20")],
            "decision": ["certifie"],
            "cycle": [5],
            "visit_date": [pd.Timestamp("2022-06-01")],
        }
    )
    out = indicator.reference({"certification_decisions": frame})
    assert out[["entity_id", "period", "numerator"]].values.tolist() == [["010000024", "2022", 3]]
    assert out["stat_decision_date"].tolist() == [20220920]
