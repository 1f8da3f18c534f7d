"""The pooling rule, specified once for every indicator and every engine: an aggregate
(national, region, department, legal status, a group of a stratification) sums the
numerators and denominators of its establishments — the rate of a region is Σ numerators /
Σ denominators, not a mean of rates. An establishment absent from the registry counts in the
national figure only; one whose registry value is missing falls in the INCONNU group of that
level; a group whose establishments have only excluded records keeps a zero denominator.

Other spec tests give their establishment rows and let `speclib.run_spec` check the other
levels against this rule; this test gives every row by hand."""

import dataclasses

import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.catalogue.meta import LEVELS

from speclib import run_spec

# 010000065 has no region, department or status in the registry; 970100400 is not in it.
REGISTRY = """
finess_et | region_code | department_code | legal_status   | legal_status_basis | import_run_id
010000024 | 84          | 01              | public         | test               | 1
010002129 | 84          | 01              | prive_lucratif | test               | 1
010000065 |             |                 |                | test               | 1
2A0000022 | 94          | 2A              | public         | test               | 1
"""
RECORDS = """
campaign | finess_et | indicator | record_number | outcome | import_run_id
2024     | 010000024 | CA_QLS    | 1             | oui     | 2
2024     | 010000024 | CA_QLS    | 2             | oui     | 2
2024     | 010000024 | CA_QLS    | 3             | non     | 2
2024     | 010002129 | CA_QLS    | 1             | non     | 2
2024     | 010002129 | CA_QLS    | 2             | oui     | 2
2024     | 010000065 | CA_QLS    | 1             | oui     | 2
2024     | 2A0000022 | CA_QLS    | 1             | NA      | 2
2024     | 970100400 | CA_QLS    | 1             | oui     | 2
2023     | 010000024 | CA_QLS    | 1             | non     | 3
2023     | 2A0000022 | CA_QLS    | 1             | oui     | 3
"""
EXPECTED = {
    ("etablissement", "010000024", "2024"): (2, 3),
    ("etablissement", "010002129", "2024"): (1, 2),
    ("etablissement", "010000065", "2024"): (1, 1),
    ("etablissement", "2A0000022", "2024"): (0, 0),
    ("etablissement", "970100400", "2024"): (1, 1),
    ("etablissement", "010000024", "2023"): (0, 1),
    ("etablissement", "2A0000022", "2023"): (1, 1),
    ("national", "FR", "2024"): (5, 7),
    ("national", "FR", "2023"): (1, 2),
    ("region", "84", "2024"): (3, 5),
    ("region", "94", "2024"): (0, 0),
    ("region", "INCONNU", "2024"): (1, 1),
    ("region", "84", "2023"): (0, 1),
    ("region", "94", "2023"): (1, 1),
    ("departement", "01", "2024"): (3, 5),
    ("departement", "2A", "2024"): (0, 0),
    ("departement", "INCONNU", "2024"): (1, 1),
    ("departement", "01", "2023"): (0, 1),
    ("departement", "2A", "2023"): (1, 1),
    ("statut", "public", "2024"): (2, 3),
    ("statut", "prive_lucratif", "2024"): (1, 2),
    ("statut", "INCONNU", "2024"): (1, 1),
    ("statut", "public", "2023"): (1, 2),
    # Peer groups (speclib.PEER_GROUPS) hold no line for 010000065: no group, as for an
    # establishment absent from the registry.
    ("strate:type", "CH", "2024"): (2, 3),
    ("strate:type", "PRIVE", "2024"): (1, 2),
    ("strate:type", "CH", "2023"): (1, 2),
    ("strate:taille", "T2", "2024"): (2, 3),
    ("strate:taille", "T1", "2024"): (1, 2),
    ("strate:taille", "T2", "2023"): (1, 2),
}


def every_level():
    indicator = get_indicator("AUDIT_CA_QLS")
    meta = indicator.meta.model_copy(update={"levels": LEVELS})
    return dataclasses.replace(indicator, meta=meta)


def test_every_level_pools_its_establishments(engine, warehouse_schemas):
    tables = {"audit_records": RECORDS, "establishments": REGISTRY}
    run_spec(engine, warehouse_schemas, every_level(), tables, EXPECTED)


def test_the_rule_checks_levels_a_spec_does_not_give(engine, warehouse_schemas):
    """What the other spec tests rely on: given the establishment rows only, run_spec checks
    the other levels against the rule — and fails when one is wrong."""
    tables = {"audit_records": RECORDS, "establishments": REGISTRY}
    establishments = {k: v for k, v in EXPECTED.items() if k[0] == "etablissement"}
    run_spec(engine, warehouse_schemas, every_level(), tables, establishments)
    wrong = establishments | {("national", "FR", "2024"): (4, 6)}
    with pytest.raises(AssertionError):
        run_spec(engine, warehouse_schemas, every_level(), tables, wrong)
