"""The GHT composition file alone (sources/ght.py): a good file gives its members, and each
kind of broken file is reported at its line and column (tests/fixtures/ght/, real FINESS
numbers of the etalab extract, one defect per broken file)."""

import pytest

from hospiscope.sources.ght import DEMO, HEADER, IMPORTED, origin_label, read_ght
from hospiscope.sources.ght_registry import Registry, check_against_registry
from hospiscope.sources.issues import WARNING
from hospiscope.warehouse.unregistered import UNREGISTERED_LABEL

from support import FIXTURES

HERE = FIXTURES / "ght"
BROKEN = HERE / "broken"


def problems(path) -> list[tuple[int, str, str]]:
    _, issues = read_ght(path)
    return [(i.line, i.column, i.reason) for i in issues]


def test_the_layout_is_the_documented_one():
    assert HEADER == (
        "code_ght",
        "nom_ght",
        "finess_support",
        "finess_membre",
        "type_finess_membre",
    )


def test_a_good_file_gives_every_member_with_its_line():
    members, issues = read_ght(HERE / "ght-composition.csv")
    assert issues == []
    assert len(members) == 8
    assert {m.ght_code for m in members} == {"GHT-01-ESSAI", "GHT-972-ESSAI", "GHT-2A-ESSAI"}
    first = members[0]
    assert (first.line, first.ght_name, first.support, first.member, first.member_type) == (
        2,
        "GHT Bresse et Dombes (essai)",
        "010000065",
        "010000065",
        "ET",
    )
    assert members[2].member_type is None  # empty: read from the registry later
    assert [m.member for m in members if m.ght_code == "GHT-2A-ESSAI"] == [
        "2A0000022",
        "2A0000014",
    ]


def test_bad_finess_numbers_and_types_are_named():
    found = problems(BROKEN / "ght-finess-invalide.csv")
    assert [(line, column) for line, column, _ in found] == [
        (3, "finess_membre"),
        (4, "finess_membre"),
        (5, "type_finess_membre"),
    ]
    assert "clé de contrôle" in found[0][2] and "« 010000116 »" in found[0][2]
    assert "caractères non autorisés" in found[1][2]
    assert "EJ, ET" in found[2][2] and "« EJJ »" in found[2][2]


def test_a_ght_with_two_names_or_two_supports_is_refused_at_the_line():
    found = problems(BROKEN / "ght-noms-contradictoires.csv")
    assert [(line, column) for line, column, _ in found] == [
        (3, "nom_ght"),
        (4, "finess_support"),
    ]
    assert "un seul nom par GHT" in found[0][2] and "ligne 2" in found[0][2]
    assert "un seul support par GHT" in found[1][2] and "010000065" in found[1][2]


def test_a_member_twice_in_a_ght_or_in_two_ghts_is_refused():
    members, issues = read_ght(BROKEN / "ght-membre-en-double.csv")
    assert [(i.line, i.column) for i in issues] == [(4, "finess_membre"), (6, "finess_membre")]
    assert "membre en double" in issues[0].reason and "déjà ligne 3" in issues[0].reason
    assert "déjà rattaché au GHT « GHT-01-ESSAI » ligne 2" in issues[1].reason
    assert [m.line for m in members] == [2, 3, 5]  # the first occurrence is kept


def test_a_missing_column_is_named():
    found = problems(BROKEN / "ght-colonne-manquante.csv")
    assert found == [
        (1, "finess_support", "colonne attendue absente : finess_support"),
    ]


@pytest.mark.parametrize(
    "path", [BROKEN / "ght-sans-lignes.csv", FIXTURES / "broken" / "vide.csv"], ids=str
)
def test_an_empty_file_gives_no_member(path):
    members, issues = read_ght(path)
    assert members == []
    if path.name == "vide.csv":
        assert issues and issues[0].line == 1


def test_each_origin_has_a_french_label_and_the_demo_says_it_is_an_assumption():
    assert "importée" in origin_label(IMPORTED)
    assert "hypothèse hospiscope" in origin_label(DEMO)
    assert "pas la liste officielle" in origin_label(DEMO)
    assert origin_label(None) == origin_label(IMPORTED)


# A registry of two EJs: 010780138 (one ET) and 010007987 (two ETs, the first preferred).
REGISTRY = Registry.from_rows(
    [("010000107", "010780138"), ("010000214", "010007987"), ("010000065", "010007987")]
)


def checked(path):
    members, _ = read_ght(path)
    return check_against_registry(REGISTRY, path.name, members)


def test_unknown_finess_are_kept_as_warnings_and_listed():
    found = checked(HERE / "ght-finess-inconnu.csv")
    assert found.absent == {"010009900", "010009918"}
    assert [r["finess_et"] for r in found.rows] == ["010000065", "010009900", "010009918"]
    assert {(i.line, i.column, i.severity) for i in found.issues} == {
        (3, "finess_membre", WARNING),
        (4, "finess_membre", WARNING),
    }
    reasons = {i.line: i.reason for i in found.issues}
    assert reasons[3].startswith(UNREGISTERED_LABEL)
    assert "type supposé ET" in reasons[4]  # no type given, none in the registry


def test_types_are_read_from_the_registry_and_contradictions_refused():
    found = checked(HERE / "ght-composition.csv")
    by_number = {r["finess_ej"] or r["finess_et"]: r for r in found.rows}
    assert by_number["010007987"]["finess_ej"] == "010007987"  # empty type, a known EJ
    contradictions = checked(BROKEN / "ght-type-contradictoire.csv").issues
    assert [(i.line, i.severity) for i in contradictions] == [(2, "erreur"), (3, "erreur")]
