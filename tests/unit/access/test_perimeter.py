"""The perimeter: which establishments an entity stands for, which entity lies within which,
read by hand and from a tiny DuckDB warehouse."""

import duckdb
import pytest
from accessworld import A2, EJA, EJC, G1, G2, UNKNOWN, A, B, C, D, et, world

from hospiscope.access.perimeter import NATION, Entity, Perimeter


def test_ets_of_each_kind_of_entity():
    perimeter = world()
    assert perimeter.ets_of(et(A)) == {A}
    assert perimeter.ets_of(Entity("ej", EJA)) == {A, A2}
    assert perimeter.ets_of(Entity("ght", G1)) == {A, C}
    assert perimeter.ets_of(Entity("region", "11")) == {A, A2, B, C}
    assert perimeter.ets_of(NATION) == {A, A2, B, C, D}
    assert perimeter.ets_of(et(UNKNOWN)) == frozenset()
    assert perimeter.ets_of(Entity("region", "93")) == frozenset()


def test_known_entities():
    perimeter = world()
    known = [et(A), Entity("ej", EJA), Entity("ght", G2), Entity("region", "84"), NATION]
    unknown = [et(UNKNOWN), Entity("ej", A), Entity("ght", "GHT-X"), Entity("region", "93")]
    assert all(perimeter.known(entity) for entity in known)
    assert not any(perimeter.known(entity) for entity in unknown)


@pytest.mark.parametrize(
    ("scope", "entity", "expected"),
    [
        (et(A), et(A), True),
        (et(A), et(A2), False),
        (et(A), Entity("ej", EJA), False),  # not all the EJ's ETs
        (Entity("ej", EJA), et(A2), True),
        (Entity("ej", EJA), Entity("ej", EJA), True),
        (et(A), Entity("ght", G1), False),  # an establishment does not contain its GHT
        (Entity("ght", G1), et(C), True),
        (Entity("ght", G1), et(A2), False),
        (Entity("ght", G1), Entity("ej", EJC), True),
        (Entity("ght", G1), Entity("ght", G2), False),
        (Entity("ght", G1), Entity("region", "11"), False),
        (Entity("region", "11"), Entity("ght", G1), True),
        (Entity("region", "11"), Entity("ght", G2), False),
        (Entity("region", "11"), et(D), False),
        (Entity("region", "84"), Entity("region", "84"), True),
        (Entity("region", "84"), NATION, False),
        (NATION, Entity("ght", G1), True),
        (NATION, et(UNKNOWN), False),
        (et(UNKNOWN), et(UNKNOWN), False),
    ],
)
def test_contains(scope, entity, expected):
    assert world().contains(scope, entity) is expected


def test_scope_entries_name_an_et_or_an_ej_and_unknown_ones_name_nothing():
    perimeter = world()
    assert perimeter.scope_entity("etablissement", A) == et(A)
    assert perimeter.scope_entity("etablissement", EJA) == Entity("ej", EJA)
    assert perimeter.scope_entity("etablissement", UNKNOWN) is None
    assert perimeter.scope_entity("ght", G1) == Entity("ght", G1)
    assert perimeter.scope_entity("ars", "84") == Entity("region", "84")
    assert perimeter.scope_entity("ars", "93") is None
    assert perimeter.scope_entity("national", "11") is None


def test_an_unknown_entity_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown entity kind"):
        Entity("departement", "75")


def warehouse(with_ght: bool = True):
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE establishments (finess_et VARCHAR, finess_ej VARCHAR, region_code VARCHAR)"
    )
    con.execute(
        "INSERT INTO establishments VALUES ('E1', 'J1', '11'), ('E2', 'J1', '11'), "
        "('E3', 'J3', '11'), ('E4', 'J4', '84'), ('E5', NULL, NULL)"
    )
    if with_ght:
        con.execute(
            "CREATE TABLE ght_members (ght_code VARCHAR, ght_name VARCHAR, "
            "support_finess_et VARCHAR, finess_ej VARCHAR, finess_et VARCHAR, origin VARCHAR, "
            "import_run INTEGER)"
        )
        con.execute(
            "INSERT INTO ght_members VALUES "
            "('G1', 'GHT un', 'E1', 'J1', NULL, 'import', 1), "  # an EJ: all its ETs
            "('G1', 'GHT un', 'E1', NULL, 'E3', 'import', 1), "
            "('G1', 'GHT un', 'E1', NULL, 'E-CLOSED', 'import', 1), "  # not in the registry
            "('G2', 'GHT deux', 'E4', 'J4', 'E4', 'hypothese_demo', 1)"
        )
    return con


def test_from_warehouse_expands_ej_members_and_keeps_registry_establishments():
    perimeter = Perimeter.from_warehouse(warehouse())
    assert perimeter.et_ej == {"E1": "J1", "E2": "J1", "E3": "J3", "E4": "J4", "E5": None}
    assert perimeter.ght_ets == {"G1": {"E1", "E2", "E3"}, "G2": {"E4"}}
    assert perimeter.ght_names == {"G1": "GHT un", "G2": "GHT deux"}
    assert perimeter.ght_region == {"G1": "11", "G2": "84"}
    assert perimeter.ets_of(Entity("region", "11")) == {"E1", "E2", "E3"}
    assert perimeter.ets_of(NATION) == {"E1", "E2", "E3", "E4", "E5"}


def test_from_warehouse_without_ght_table_has_no_ght():
    perimeter = Perimeter.from_warehouse(warehouse(with_ght=False))
    assert perimeter.ght_ets == {}
    assert not perimeter.known(Entity("ght", "G1"))
    assert perimeter.ets_of(Entity("ej", "J1")) == {"E1", "E2"}
