"""Staff flu vaccination coverage: staff vaccinated / staff total per establishment and
season, pooled as Σ vaccinated / Σ staff; NC rows and DI rows (missing count, no staff, more
vaccinated than staff) carry no numerator or denominator; one period per winter season."""

from hospiscope.catalogue import get_indicator

from speclib import run_spec

ESTABLISHMENTS = """
finess_et | region_code | department_code | legal_status   | legal_status_basis | import_run_id
010000024 | 84          | 01              | public         | test               | 1
010002129 | 84          | 01              | prive_lucratif | test               | 1
010000107 | 84          | 01              | public         | test               | 1
010000115 | 84          | 01              | public         | test               | 1
010000214 | 84          | 01              | public         | test               | 1
2A0000022 | 94          | 2A              | public         | test               | 1
"""
PEER_GROUPS = """
stratification | finess_et | group_code | group_label
type           | 010000024 | CH         | Centre hospitalier
type           | 010002129 | PRIVE      | Privé lucratif
taille         | 010000024 | T2         | 100 à 299
taille         | 010002129 | T1         | moins de 100
"""
# 970100400 is absent from the registry: national figure only. 010000107 is NC (its counts
# are ignored); DI: 010000115 (no count of vaccinated), 010000214 (more vaccinated than
# staff), 2A0000022 (no staff; the only establishment of its region and department).
VACCINATION = """
finess_et | season    | vaccinated | staff | not_concerned | import_run_id
010000024 | 2023-2024 | 150        | 600   |               | 1
010002129 | 2023-2024 | 0          | 40    | false         | 1
970100400 | 2023-2024 | 10         | 100   |               | 1
010000107 | 2023-2024 | 50         | 100   | true          | 1
010000115 | 2023-2024 |            | 100   |               | 1
010000214 | 2023-2024 | 120        | 100   |               | 1
2A0000022 | 2023-2024 | 0          | 0     |               | 1
010000024 | 2022-2023 | 100        | 580   |               | 1
010002129 | 2022-2023 | 40         | 40    |               | 1
"""
NOTHING = (None, None)


def test_staff_coverage_per_season(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("VACCIN_GRIPPE"),
        {
            "vaccination_grippe": VACCINATION,
            "establishments": ESTABLISHMENTS,
            "peer_groups": PEER_GROUPS,
        },
        {
            ("etablissement", "010000024", "2023-2024"): (150, 600),
            ("etablissement", "010002129", "2023-2024"): (0, 40),
            ("etablissement", "970100400", "2023-2024"): (10, 100),
            ("etablissement", "010000107", "2023-2024"): NOTHING,
            ("etablissement", "010000115", "2023-2024"): NOTHING,
            ("etablissement", "010000214", "2023-2024"): NOTHING,
            ("etablissement", "2A0000022", "2023-2024"): NOTHING,
            ("etablissement", "010000024", "2022-2023"): (100, 580),
            ("etablissement", "010002129", "2022-2023"): (40, 40),
            ("national", "FR", "2023-2024"): (160, 740),
            ("national", "FR", "2022-2023"): (140, 620),
            ("region", "84", "2023-2024"): (150, 640),
            ("region", "94", "2023-2024"): NOTHING,
            ("region", "84", "2022-2023"): (140, 620),
            ("departement", "01", "2023-2024"): (150, 640),
            ("departement", "2A", "2023-2024"): NOTHING,
            ("departement", "01", "2022-2023"): (140, 620),
            ("statut", "public", "2023-2024"): (150, 600),
            ("statut", "prive_lucratif", "2023-2024"): (0, 40),
            ("statut", "public", "2022-2023"): (100, 580),
            ("statut", "prive_lucratif", "2022-2023"): (40, 40),
            ("strate:type", "CH", "2023-2024"): (150, 600),
            ("strate:type", "PRIVE", "2023-2024"): (0, 40),
            ("strate:type", "CH", "2022-2023"): (100, 580),
            ("strate:type", "PRIVE", "2022-2023"): (40, 40),
            ("strate:taille", "T2", "2023-2024"): (150, 600),
            ("strate:taille", "T1", "2023-2024"): (0, 40),
            ("strate:taille", "T2", "2022-2023"): (100, 580),
            ("strate:taille", "T1", "2022-2023"): (40, 40),
        },
    )
