"""The registry scope (documented file) and the position check of every FINESS layout."""

from hospiscope.geo import geography
from hospiscope.sources.finess import etalab, scansante
from hospiscope.sources.finess.normalise import POSITION_DROPPED, in_scope, normalise
from hospiscope.sources.finess.scope import Scope, registry_scope
from hospiscope.sources.issues import warnings

from support import FIXTURES

FINESS = FIXTURES / "finess"


def _row(category: str | None, group: str | None) -> dict:
    return {"category_code": category, "category_group_code": group}


def test_scope_keeps_health_establishments_and_army_hospitals():
    assert in_scope(_row("355", "1102")) and in_scope(_row("146", "1203"))
    assert in_scope(_row("114", "2205"))  # Hôpital des armées
    assert in_scope(_row(None, None))  # aggregate unknown (GISCO): kept
    assert not in_scope(_row("500", "4401"))  # EHPAD
    assert not in_scope(_row("124", "2206"))  # centre de santé
    assert registry_scope().describe() == "catégories agrégées 11…, 12…, 2205"


def test_a_category_listed_in_the_scope_file_is_kept_whatever_its_aggregate():
    scope = Scope(aggregates=("11",), categories=frozenset({"124"}))
    assert scope.keeps(_row("124", "2206")) and not scope.keeps(_row("223", "2202"))


def test_etalab_position_outside_its_department():
    path = FINESS / "etalab-position-hors-departement.csv"
    records, issues, _ = etalab.read(path)
    assert warnings(issues) == []
    rows, found = normalise(records, path.name, geography())
    by_number = {row["finess_et"]: row for row in rows}
    assert by_number["310021571"]["longitude"] is None  # kept, without a position
    assert 1.40 < by_number["310780150"]["longitude"] < 1.45
    (warning,) = found
    assert str(warning) == (
        "etalab-position-hors-departement.csv, ligne 4, colonne coordxet (3), coordyet (4) : "
        "position hors du département 31 (Haute-Garonne) : longitude 121,9726, latitude "
        "−84,0101, d'après X = 99999999, Y = 6281952.1 (EPSG:2154) ; " + POSITION_DROPPED
    )


def test_scansante_swapped_coordinates():
    path = FINESS / "scansante-position-inversee.json"
    records, _, _ = scansante.read(path)
    rows, found = normalise(records, path.name, geography())
    (warning,) = [i for i in found if i.reason.endswith(POSITION_DROPPED)]
    assert warning.column == "latitude, longitude" and warning.line == 2
    assert "département 31" in warning.reason
    assert [row["latitude"] is None for row in rows] == [True, False]
