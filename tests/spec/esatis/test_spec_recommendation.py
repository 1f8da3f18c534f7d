"""e-Satis raw recommendation rates: share of "certainly" (4) among complete questionnaires
that answered the question; pooled at aggregate levels; one period per campaign."""

import pytest

from hospiscope.catalogue import get_indicator

from speclib import run_spec

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
        {table: RESPONSES},
        {
            ("etablissement", "010000024", "2024"): (2, 3),
            ("etablissement", "010002129", "2024"): (1, 2),
            ("etablissement", "970100400", "2024"): (1, 1),
            ("etablissement", "010000024", "2023"): (0, 1),
        },
    )
