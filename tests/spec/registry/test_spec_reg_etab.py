"""REG_ETAB: establishments counted at every level; an establishment without region counts
nationally and in the `INCONNU` region group."""

from hospiscope.catalogue import get_indicator

from speclib import run_spec

ESTABLISHMENTS = """
finess_et | region_code | department_code | legal_status       | legal_status_basis | import_run_id
010000024 | 84          | 01              | public             | test               | 1
2A0000022 | 94          | 2A              | public             | test               | 1
970100400 | 01          | 971             | prive_lucratif     | test               | 1
970500039 |             | 975             | prive_non_lucratif | test               | 1
"""
PEER_GROUPS = """
stratification | finess_et | group_code | group_label
type           | 010000024 | CH         | Centre hospitalier
type           | 2A0000022 | CH         | Centre hospitalier
type           | 970100400 | PRIVE      | Privé lucratif
type           | 970500039 | ESPIC      | Privé non lucratif
taille         | 010000024 | T2         | 100 à 299
taille         | 2A0000022 | NR         | non renseigné
taille         | 970100400 | NR         | non renseigné
taille         | 970500039 | NR         | non renseigné
"""


def test_counts_at_every_level(engine, warehouse_schemas):
    p = "registre"
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("REG_ETAB"),
        {"establishments": ESTABLISHMENTS, "peer_groups": PEER_GROUPS},
        {
            ("national", "FR", p): (4, None),
            ("region", "84", p): (1, None),
            ("region", "94", p): (1, None),
            ("region", "01", p): (1, None),
            ("region", "INCONNU", p): (1, None),
            ("departement", "01", p): (1, None),
            ("departement", "2A", p): (1, None),
            ("departement", "971", p): (1, None),
            ("departement", "975", p): (1, None),
            ("statut", "public", p): (2, None),
            ("statut", "prive_lucratif", p): (1, None),
            ("statut", "prive_non_lucratif", p): (1, None),
            ("strate:type", "CH", p): (2, None),
            ("strate:type", "PRIVE", p): (1, None),
            ("strate:type", "ESPIC", p): (1, None),
            ("strate:taille", "T2", p): (1, None),
            ("strate:taille", "NR", p): (3, None),
        },
    )


def test_empty_registry_gives_no_result(engine, warehouse_schemas):
    run_spec(engine, warehouse_schemas, get_indicator("REG_ETAB"), {}, {})
