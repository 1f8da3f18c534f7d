"""ICSHA (hand hygiene): volume consumed / personalised objective, pooled as Σ volumes /
Σ objectives at every level; NC and DI rows carry no numerator or denominator; each version
is its own indicator (ICSHA.2 rows never reach ICSHA3 and conversely); the share of
establishments at 100 % or more (volume ≥ objective) among those with data."""

from hospiscope.catalogue import get_indicator

from speclib import run_spec

# 970100400 is absent from the registry: national figure only. 010000107 is NC (its volumes
# are ignored), 010000115 has no volume and 010000214 a zero objective (DI); 2A0000022, NC,
# is the only establishment of its region and department. 2022 rows are ICSHA.2.
ICSHA = """
finess_et | year | version | volume_litres | objective_litres | not_concerned | import_run_id
010000024 | 2024 | ICSHA.3 | 800           | 1000             |               | 1
010002129 | 2024 | ICSHA.3 | 300           | 200              | false         | 1
970100400 | 2024 | ICSHA.3 | 100           | 100              |               | 1
010000107 | 2024 | ICSHA.3 | 500           | 400              | true          | 1
010000115 | 2024 | ICSHA.3 |               | 300              |               | 1
010000214 | 2024 | ICSHA.3 | 10            | 0                |               | 1
2A0000022 | 2024 | ICSHA.3 |               |                  | true          | 1
010000024 | 2023 | ICSHA.3 | 900.5         | 1000             |               | 1
010000024 | 2022 | ICSHA.2 | 70            | 100              |               | 1
010002129 | 2022 | ICSHA.2 | 120           | 100              |               | 1
"""
TABLES = {"hygiene_icsha": ICSHA}
NOTHING = (None, None)
NOT_PUBLISHED_2024 = {
    ("etablissement", finess, "2024"): NOTHING
    for finess in ("010000107", "010000115", "010000214", "2A0000022")
}


def test_icsha3_consumption_over_objective(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("ICSHA3"),
        TABLES,
        {
            ("etablissement", "010000024", "2024"): (800, 1000),
            ("etablissement", "010002129", "2024"): (300, 200),
            ("etablissement", "970100400", "2024"): (100, 100),
            **NOT_PUBLISHED_2024,
            ("etablissement", "010000024", "2023"): (900.5, 1000),
            ("national", "FR", "2024"): (1200, 1300),
            ("national", "FR", "2023"): (900.5, 1000),
            ("region", "84", "2024"): (1100, 1200),
            ("region", "94", "2024"): NOTHING,
            ("region", "84", "2023"): (900.5, 1000),
            ("departement", "01", "2024"): (1100, 1200),
            ("departement", "2A", "2024"): NOTHING,
            ("departement", "01", "2023"): (900.5, 1000),
            ("statut", "public", "2024"): (800, 1000),
            ("statut", "prive_lucratif", "2024"): (300, 200),
            ("statut", "public", "2023"): (900.5, 1000),
            ("strate:type", "CH", "2024"): (800, 1000),
            ("strate:type", "PRIVE", "2024"): (300, 200),
            ("strate:type", "CH", "2023"): (900.5, 1000),
            ("strate:taille", "T2", "2024"): (800, 1000),
            ("strate:taille", "T1", "2024"): (300, 200),
            ("strate:taille", "T2", "2023"): (900.5, 1000),
        },
    )


def test_icsha2_reads_only_its_version(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("ICSHA2"),
        TABLES,
        {
            ("etablissement", "010000024", "2022"): (70, 100),
            ("etablissement", "010002129", "2022"): (120, 100),
            ("national", "FR", "2022"): (190, 200),
            ("region", "84", "2022"): (190, 200),
            ("departement", "01", "2022"): (190, 200),
            ("statut", "public", "2022"): (70, 100),
            ("statut", "prive_lucratif", "2022"): (120, 100),
            ("strate:type", "CH", "2022"): (70, 100),
            ("strate:type", "PRIVE", "2022"): (120, 100),
            ("strate:taille", "T2", "2022"): (70, 100),
            ("strate:taille", "T1", "2022"): (120, 100),
        },
    )


def with_establishment_level(indicator):
    """The same computation also published per establishment, so that run_spec checks the
    per-establishment rows and the pandas reference (the real indicator has no such level)."""
    meta = indicator.meta.model_copy(update={"levels": ("etablissement", *indicator.meta.levels)})
    return indicator.__class__(meta, indicator.compute, indicator.reference, indicator.finish)


def test_share_of_establishments_reaching_their_objective(engine, warehouse_schemas):
    indicator = get_indicator("ICSHA3_OBJECTIF_ATTEINT")
    assert "etablissement" not in indicator.meta.levels  # a 0/1 per establishment: not shown
    run_spec(
        engine,
        warehouse_schemas,
        with_establishment_level(indicator),
        TABLES,
        {
            ("etablissement", "010000024", "2024"): (0, 1),
            ("etablissement", "010002129", "2024"): (1, 1),
            ("etablissement", "970100400", "2024"): (1, 1),  # exactly 100 %: reached
            **NOT_PUBLISHED_2024,
            ("etablissement", "010000024", "2023"): (0, 1),
            ("national", "FR", "2024"): (2, 3),
            ("national", "FR", "2023"): (0, 1),
            ("region", "84", "2024"): (1, 2),
            ("region", "94", "2024"): NOTHING,
            ("region", "84", "2023"): (0, 1),
            ("departement", "01", "2024"): (1, 2),
            ("departement", "2A", "2024"): NOTHING,
            ("departement", "01", "2023"): (0, 1),
            ("statut", "public", "2024"): (0, 1),
            ("statut", "prive_lucratif", "2024"): (1, 1),
            ("statut", "public", "2023"): (0, 1),
            ("strate:type", "CH", "2024"): (0, 1),
            ("strate:type", "PRIVE", "2024"): (1, 1),
            ("strate:type", "CH", "2023"): (0, 1),
            ("strate:taille", "T2", "2024"): (0, 1),
            ("strate:taille", "T1", "2024"): (1, 1),
            ("strate:taille", "T2", "2023"): (0, 1),
        },
    )


def test_icsha2_share_reads_only_its_version(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("ICSHA2_OBJECTIF_ATTEINT"),
        TABLES,
        {
            ("national", "FR", "2022"): (1, 2),
            ("region", "84", "2022"): (1, 2),
            ("departement", "01", "2022"): (1, 2),
            ("statut", "public", "2022"): (0, 1),
            ("statut", "prive_lucratif", "2022"): (1, 1),
            ("strate:type", "CH", "2022"): (0, 1),
            ("strate:type", "PRIVE", "2022"): (1, 1),
            ("strate:taille", "T2", "2022"): (0, 1),
            ("strate:taille", "T1", "2022"): (1, 1),
        },
    )
