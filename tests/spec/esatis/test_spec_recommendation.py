"""e-Satis raw recommendation rates: share of "certainly" (4) among complete questionnaires
that answered the question; pooled at aggregate levels; one period per campaign."""

import pytest

from hospiscope.catalogue import get_indicator

from speclib import run_spec

ESTABLISHMENTS = """
finess_et | region_code | department_code | legal_status   | legal_status_basis | import_run_id
010000024 | 84          | 01              | public         | test               | 1
010002129 | 84          | 01              | prive_lucratif | test               | 1
"""
PEER_GROUPS = """
stratification | finess_et | group_code | group_label
type           | 010000024 | CH         | Centre hospitalier
type           | 010002129 | PRIVE      | Privé lucratif
taille         | 010000024 | T2         | 100 à 299
taille         | 010002129 | T1         | moins de 100
"""
# 970100400 answers but is absent from the registry: national figure only.
RESPONSES = """
campaign | response_id | finess_et | complete | recommendation | import_run_id
2024     | r1          | 010000024 | true     | 4              | 2
2024     | r2          | 010000024 | true     | 4              | 2
2024     | r3          | 010000024 | true     | 3              | 2
2024     | r4          | 010000024 | true     |                | 2
2024     | r5          | 010000024 | false    | 4              | 2
2024     | r6          | 010002129 | true     | 1              | 2
2024     | r7          | 010002129 | true     | 4              | 2
2024     | r8          | 970100400 | true     | 4              | 2
2023     | r1          | 010000024 | true     | 2              | 3
"""


@pytest.mark.parametrize(
    ("code", "table"),
    [
        ("ESATIS48H_RECO", "esatis_mco48h"),
        ("ESATISCA_RECO", "esatis_ca"),
        ("ESATISSMR_RECO", "esatis_smr"),
    ],
)
def test_recommendation_rate(engine, warehouse_schemas, code, table):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator(code),
        {table: RESPONSES, "establishments": ESTABLISHMENTS, "peer_groups": PEER_GROUPS},
        {
            ("etablissement", "010000024", "2024"): (2, 3),
            ("etablissement", "010002129", "2024"): (1, 2),
            ("etablissement", "970100400", "2024"): (1, 1),
            ("etablissement", "010000024", "2023"): (0, 1),
            ("national", "FR", "2024"): (4, 6),
            ("national", "FR", "2023"): (0, 1),
            ("region", "84", "2024"): (3, 5),
            ("region", "84", "2023"): (0, 1),
            ("statut", "public", "2024"): (2, 3),
            ("statut", "prive_lucratif", "2024"): (1, 2),
            ("statut", "public", "2023"): (0, 1),
            ("strate:type", "CH", "2024"): (2, 3),
            ("strate:type", "PRIVE", "2024"): (1, 2),
            ("strate:type", "CH", "2023"): (0, 1),
            ("strate:taille", "T2", "2024"): (2, 3),
            ("strate:taille", "T1", "2024"): (1, 2),
            ("strate:taille", "T2", "2023"): (0, 1),
        },
    )
