"""Staff flu vaccination coverage: staff vaccinated / staff total per establishment and
season, pooled as Σ vaccinated / Σ staff; NC rows and DI rows (missing count, no staff, more
vaccinated than staff) carry no numerator or denominator; one period per winter season."""

from hospiscope.catalogue import get_indicator

from speclib import run_spec

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
        },
    )
