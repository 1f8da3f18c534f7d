"""Imperative criteria: share of assessed establishments meeting the criterion at 31 December.
A visit's results count from its decision's date; the latest visit assessing the criterion
wins (a follow-up visit re-assesses some criteria only); "non applicable" at that visit takes
the establishment out; visits without a decision are not used."""

from dataclasses import replace

import pytest

from hospiscope.catalogue import catalogue, get_indicator
from hospiscope.certification import imperative_criteria

from speclib import run_spec

DECISIONS = """
finess_et | decision_date | decision                 | cycle | visit_date | import_run_id
010000024 | 2021-11-15    | certifie_sous_conditions | 5     | 2021-06-10 | 2
010000024 | 2022-09-20    | certifie                 | 5     | 2022-06-01 | 2
010002129 | 2022-03-01    | certifie_mention         | 5     | 2021-12-01 | 2
140000100 | 2023-05-10    | non_certifie             | 5     | 2023-01-15 | 2
970100400 | 2023-12-31    | certifie_sous_conditions | 5     | 2023-09-01 | 2
970100400 | 2024-01-01    | non_certifie             | 5     | 2023-11-01 | 2
"""
# 010000024's follow-up (2022-06-01) re-assesses DOULEUR only; its visit of 2024-10-01 has no
# decision yet. 970100400's second visit is published on 01/01/2024.
HEADER = "finess_et | visit_date | cycle | criterion | criterion_type | result | import_run_id"
PAIN = """
010000024 | 2021-06-10 | 5 | {code} | imperatif | non_satisfait  | 3
010000024 | 2022-06-01 | 5 | {code} | imperatif | satisfait      | 3
010000024 | 2024-10-01 | 5 | {code} | imperatif | non_satisfait  | 3
010002129 | 2021-12-01 | 5 | {code} | imperatif | satisfait      | 3
140000100 | 2023-01-15 | 5 | {code} | imperatif | non_satisfait  | 3
970100400 | 2023-09-01 | 5 | {code} | imperatif | satisfait      | 3
970100400 | 2023-11-01 | 5 | {code} | imperatif | non_satisfait  | 3
"""
MINORS = """
010000024 | 2021-06-10 | 5 | MINEURS | imperatif | satisfait      | 3
010002129 | 2021-12-01 | 5 | MINEURS | imperatif | non_applicable | 3
140000100 | 2023-01-15 | 5 | MINEURS | imperatif | non_satisfait  | 3
970100400 | 2023-09-01 | 5 | MINEURS | imperatif | satisfait      | 3
970100400 | 2023-11-01 | 5 | MINEURS | imperatif | non_applicable | 3
"""
CRITERIA = HEADER + PAIN.format(code="DOULEUR") + MINORS
TABLES = {
    "certification_decisions": DECISIONS,
    "certification_criteria": CRITERIA,
}


def test_pain_criterion(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("CERT_IMP_DOULEUR"),
        TABLES,
        {
            ("etablissement", "010000024", "2021"): (0, 1),
            ("etablissement", "010000024", "2022"): (1, 1),  # met at the follow-up visit
            ("etablissement", "010000024", "2023"): (1, 1),
            ("etablissement", "010000024", "2024"): (1, 1),  # 2024 visit not decided yet
            ("etablissement", "010002129", "2022"): (1, 1),
            ("etablissement", "010002129", "2023"): (1, 1),
            ("etablissement", "010002129", "2024"): (1, 1),
            ("etablissement", "140000100", "2023"): (0, 1),
            ("etablissement", "140000100", "2024"): (0, 1),
            ("etablissement", "970100400", "2023"): (1, 1),
            ("etablissement", "970100400", "2024"): (0, 1),  # published 01/01/2024
            ("national", "FR", "2021"): (0, 1),
            ("national", "FR", "2022"): (2, 2),
            ("national", "FR", "2023"): (3, 4),
            ("national", "FR", "2024"): (2, 4),
            ("region", "84", "2021"): (0, 1),
            ("region", "84", "2022"): (2, 2),
            ("region", "84", "2023"): (2, 2),
            ("region", "84", "2024"): (2, 2),
            ("region", "28", "2023"): (0, 1),
            ("region", "28", "2024"): (0, 1),
            ("strate:type", "CH", "2021"): (0, 1),
            ("strate:type", "CH", "2022"): (1, 1),
            ("strate:type", "CH", "2023"): (1, 1),
            ("strate:type", "CH", "2024"): (1, 1),
            ("strate:type", "PRIVE", "2022"): (1, 1),
            ("strate:type", "PRIVE", "2023"): (1, 1),
            ("strate:type", "PRIVE", "2024"): (1, 1),
            ("strate:type", "PSY", "2023"): (0, 1),
            ("strate:type", "PSY", "2024"): (0, 1),
        },
    )


def test_minors_criterion_not_applicable_and_not_reassessed(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("CERT_IMP_MINEURS"),
        TABLES,
        {
            # Not re-assessed at the follow-up visit: the first result stands.
            ("etablissement", "010000024", "2021"): (1, 1),
            ("etablissement", "010000024", "2022"): (1, 1),
            ("etablissement", "010000024", "2023"): (1, 1),
            ("etablissement", "010000024", "2024"): (1, 1),
            ("etablissement", "140000100", "2023"): (0, 1),
            ("etablissement", "140000100", "2024"): (0, 1),
            ("etablissement", "970100400", "2023"): (1, 1),
            # 970100400: non applicable at its latest visit (2024), out of the share.
            ("national", "FR", "2021"): (1, 1),
            ("national", "FR", "2022"): (1, 1),
            ("national", "FR", "2023"): (2, 3),
            ("national", "FR", "2024"): (1, 2),
            ("region", "84", "2021"): (1, 1),
            ("region", "84", "2022"): (1, 1),
            ("region", "84", "2023"): (1, 1),
            ("region", "84", "2024"): (1, 1),
            ("region", "28", "2023"): (0, 1),
            ("region", "28", "2024"): (0, 1),
            ("strate:type", "CH", "2021"): (1, 1),
            ("strate:type", "CH", "2022"): (1, 1),
            ("strate:type", "CH", "2023"): (1, 1),
            ("strate:type", "CH", "2024"): (1, 1),
            ("strate:type", "PSY", "2023"): (0, 1),
            ("strate:type", "PSY", "2024"): (0, 1),
        },
    )


@pytest.mark.parametrize("criterion", imperative_criteria(5), ids=lambda c: c.code)
def test_every_criterion_reads_its_own_rows(engine, warehouse_schemas, criterion):
    """Each imperative criterion of the 5th cycle has its indicator, which reads its own code
    only (national level here; the levels are the same for all)."""
    indicator = get_indicator(f"CERT_IMP_{criterion.code}")
    assert indicator.meta.levels == ("etablissement", "national", "region", "strate:type")
    other = "DOULEUR" if criterion.code != "DOULEUR" else "CONSENTEMENT"
    rows = (
        HEADER
        + PAIN.format(code=criterion.code)
        + PAIN.format(code=other).replace("non_satisfait", "satisfait ")
    )
    national = replace(indicator, meta=indicator.meta.model_copy(update={"levels": ("national",)}))
    run_spec(
        engine,
        warehouse_schemas,
        national,
        {**TABLES, "certification_criteria": rows},
        {
            ("national", "FR", "2021"): (0, 1),
            ("national", "FR", "2022"): (2, 2),
            ("national", "FR", "2023"): (3, 4),
            ("national", "FR", "2024"): (2, 4),
        },
    )


def test_one_indicator_per_named_imperative_criterion():
    codes = {c for c in catalogue() if c.startswith("CERT_IMP_")}
    assert codes == {f"CERT_IMP_{c.code}" for c in imperative_criteria(5)}
