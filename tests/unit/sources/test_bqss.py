"""The BQSS reader (HAS open data, long key / value layout): which file is which, typed
values, and every problem named with file, line, column and reason."""

import datetime as dt

import pytest

from hospiscope.sources.bqss import layout
from hospiscope.sources.bqss.assemble import assemble
from hospiscope.sources.bqss.mapping import Decision, KeyMapping, Mapping
from hospiscope.sources.bqss.reference import read_establishments, read_metadata
from hospiscope.sources.bqss.values import read_values
from hospiscope.sources.issues import WARNING, InvalidFile

from support import FIXTURES

BQSS = FIXTURES / "bqss"
HEADER = (
    "annee,finess,finess_type,key,value_boolean,value_string,value_integer,value_float,"
    "missing_value,value_date"
)
TYPES = {
    "score": "float",
    "n": "integer",
    "flag": "boolean",
    "when": "date",
    "mixed": "float-string",
}


def values_file(tmp_path, *lines, header=HEADER):
    path = tmp_path / "valeurs.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def read(path, types=TYPES):
    return read_values(path, layout.detect(path), types.get)


def test_the_three_files_are_told_apart_by_their_header():
    kinds = {p.name: layout.detect(p).kind for p in BQSS.glob("*.csv")}
    assert kinds == {
        "bqss-valeurs.csv": layout.VALUES,
        "bqss-metadonnees.csv": layout.METADATA,
        "bqss-etablissements.csv": layout.ESTABLISHMENTS,
    }
    assert layout.detect(BQSS / "bqss-valeurs.csv").delimiter == ","


def test_import_order_puts_metadata_first():
    files = [
        BQSS / "bqss-valeurs.csv",
        BQSS / "bqss-etablissements.csv",
        BQSS / "bqss-metadonnees.csv",
    ]
    assert [p.name for p in layout.import_order(files)] == [
        "bqss-metadonnees.csv",
        "bqss-etablissements.csv",
        "bqss-valeurs.csv",
    ]


def test_unknown_header_and_missing_column_are_named(tmp_path):
    other = tmp_path / "autre.csv"
    other.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as unknown:
        layout.detect(other)
    assert "en-tête non reconnu" in unknown.value.issues[0].reason
    short = values_file(tmp_path, header=HEADER.replace(",value_date", ",valeur_date"))
    with pytest.raises(InvalidFile) as missing:
        layout.detect(short)
    found = {(i.column, i.reason) for i in missing.value.issues}
    assert ("value_date", "colonne manquante (valeurs BQSS)") in found
    assert ("valeur_date", "colonne inattendue") in found


def test_semicolons_are_accepted(tmp_path):
    path = values_file(
        tmp_path, "2024;010000024;geo;score;;;;81.5;;", header=HEADER.replace(",", ";")
    )
    rows, issues = read(path)
    assert issues == [] and rows[0].value == 81.5


def test_value_types_are_mixed_as_in_the_real_file():
    rows, issues = read_values(
        BQSS / "bqss-valeurs.csv",
        layout.detect(BQSS / "bqss-valeurs.csv"),
        lambda key: None,
    )
    assert issues == []
    kinds = {type(r.value).__name__ for r in rows if r.column}
    assert kinds == {"bool", "str", "int", "float", "date"}
    assert any(r.missing == "Non concerné" and r.value is None for r in rows)
    assert {r.finess_type for r in rows} == {"geo", "jur"}
    date = next(r for r in rows if r.column == "value_date")
    assert date.value == dt.date(2024, 1, 15) and date.raw == "2024-01-15 00:00:00"


def test_integers_written_as_decimals_and_booleans_in_any_case(tmp_path):
    path = values_file(
        tmp_path, "2024,010000024,geo,n,,,59.0,,,", "2024,010000024,geo,flag,true,,,,,"
    )
    rows, issues = read(path)
    assert issues == [] and [r.value for r in rows] == [59, True]


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("2024,010000024,geo,score,,81.5,,,,", "value_string", "est de type float"),
        ("2024,010000024,ej,score,,,,81.5,,", "finess_type", "type de FINESS inconnu « ej »"),
        ("2024,010000024,geo,score,,,,81.5,Non concerné,", "missing_value", "motif d'absence"),
        ("2024,010000024,geo,score,,,,,,", "value_*", "aucune valeur"),
        ("2024,010000024,geo,score,,,12,81.5,,", "value_float", "plusieurs valeurs"),
        ("2024,010000024,geo,flag,oui,,,,,", "value_boolean", "booléen attendu"),
        ("2024,010000024,geo,n,,,12.5,,,", "value_integer", "nombre entier attendu"),
        ("2024,010000024,geo,when,,,,,,15/01/2024", "value_date", "date attendue"),
        ("24,010000024,geo,score,,,,81.5,,", "annee", "année invalide"),
        ("2024,010000025,geo,score,,,,81.5,,", "finess", ""),
    ],
)
def test_each_defect_is_named_at_its_line_and_column(tmp_path, line, column, reason):
    path = values_file(tmp_path, "2024,010000032,geo,score,,,,70.1,,", line)
    rows, issues = read(path)
    assert len(rows) == 1 and len(issues) == 1
    issue = issues[0]
    assert (issue.file, issue.line, issue.column) == ("valeurs.csv", 3, column)
    assert reason in issue.reason


def test_a_key_twice_for_one_establishment_and_year(tmp_path):
    line = "2024,010000024,geo,score,,,,81.5,,"
    path = values_file(tmp_path, line, "2023,010000024,geo,score,,,,80.0,,", line)
    rows, issues = read(path)
    assert len(rows) == 2
    assert (
        issues[0].line == 4
        and "en double" in issues[0].reason
        and "déjà ligne 2" in issues[0].reason
    )


def test_a_float_string_key_takes_text_too(tmp_path):
    rows, issues = read(values_file(tmp_path, "2024,010000024,geo,mixed,,[47 - 50],,,,"))
    assert issues == [] and rows[0].value == "[47 - 50]"


def test_truncated_line(tmp_path):
    rows, issues = read(values_file(tmp_path, "2024,010000024,geo,score"))
    assert rows == [] and issues[0].reason == "4 champs au lieu de 10"


def test_metadata_and_establishments():
    keys, issues = read_metadata(
        BQSS / "bqss-metadonnees.csv", layout.detect(BQSS / "bqss-metadonnees.csv")
    )
    assert issues == [] and len(keys) == 12
    assert {k.type for k in keys} >= {"float", "integer", "string", "boolean", "date"}
    path = BQSS / "bqss-etablissements.csv"
    found, issues = read_establishments(path, layout.detect(path))
    assert issues == [] and len(found) == 12 and all(len(e.finess_et) == 9 for e in found)


MAPPING = Mapping(
    keys={
        "score": KeyMapping("score", "ESATIS48H_SCORE", "value", "float", "score"),
        "classe": KeyMapping(
            "classe", "ESATIS48H_SCORE", "class", "string", "classe", codes=("A", "B", "C", "D")
        ),
        "decision": KeyMapping("decision", "CERT_DECISION", "decision", "integer", "décision"),
    },
    missing_values={"Données insuffisantes": "DI"},
    decisions={1: Decision(1, "certifie_mention", 4)},
)


def test_assembling_results(tmp_path):
    path = values_file(
        tmp_path,
        "2024,010000024,geo,score,,,,81.5,,",
        "2024,010000024,geo,classe,,A,,,,",
        "2024,010000032,geo,score,,,,,Données insuffisantes,",
        "2024,010780054,jur,score,,,,77.0,,",
        "2024,010000024,geo,decision,,,1,,,",
        "2024,010000024,geo,autre,True,,,,,",
        "2024,010000065,geo,classe,,,,,Inconnu,",
        "2024,010000081,geo,decision,,,9,,,",
        "2024,010000099,geo,classe,,Z,,,,",
    )
    rows, issues = read(path, {"score": "float", "classe": "string", "decision": "integer"})
    assert issues == []
    results, unmapped, problems = assemble(path, rows, MAPPING)
    by = {(r.indicator, r.entity_kind, r.entity_id): r for r in results}
    first = by["ESATIS48H_SCORE", "etablissement", "010000024"]
    assert (first.numbers, first.klass, first.period) == ({"value": 81.5}, "A", "2024")
    assert by["ESATIS48H_SCORE", "etablissement", "010000032"].status == "DI"
    assert by["ESATIS48H_SCORE", "entite_juridique", "010780054"].numbers == {"value": 77.0}
    decision = by["CERT_DECISION", "etablissement", "010000024"]
    assert (decision.klass, decision.numbers) == ("certifie_mention", {"value": 4.0})
    assert [r.key for r in unmapped] == ["autre"]
    assert [(p.line, p.column, p.severity) for p in problems] == [
        (8, "missing_value", WARNING),
        (9, "value_integer", "erreur"),
        (10, "value_string", "erreur"),
    ]
    assert "code de décision inconnu « 9 »" in problems[1].reason
    assert (
        "classe inconnu(e) « Z » pour ESATIS48H_SCORE (attendu : A, B, C, D)" in problems[2].reason
    )


def test_every_required_column_is_documented():
    docs = (FIXTURES.parents[1] / "docs" / "formats.md").read_text("utf-8")
    assert ",".join(layout.VALUES_HEADER) in docs
    assert ",".join(layout.METADATA_HEADER) in docs
    for column in layout.REQUIRED[layout.ESTABLISHMENTS]:
        assert f"`{column}`" in docs or column in docs, column
