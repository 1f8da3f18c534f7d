"""Real broken files: every problem is reported with file, line, column and reason — all of
them, not only the first — and the warehouse is left exactly as it was."""

import re

import pytest

from hospiscope import pipeline
from hospiscope.sources.issues import InvalidFile

from support import BUNDLED_GISCO, FIXTURES, table_fingerprint

BROKEN = FIXTURES / "broken"


@pytest.fixture
def loaded(warehouse):
    """A warehouse holding a registry, to show that nothing at all changes."""
    pipeline.import_registry(warehouse, BUNDLED_GISCO)
    return warehouse


def refused(warehouse, importer, name):
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        importer(warehouse, BROKEN / name)
    assert table_fingerprint(warehouse) == before
    assert all(issue.file == name for issue in error.value.issues)
    return [(i.line, i.column, i.reason) for i in error.value.issues]


def test_wrong_separator(loaded):
    issues = refused(loaded, pipeline.import_registry, "etalab-virgules.csv")
    assert issues == [(1, "", "séparateur incorrect : le format FINESS etalab utilise « ; »")]


def test_utf16_file(loaded):
    issues = refused(loaded, pipeline.import_registry, "etalab-utf16.csv")
    assert issues == [
        (1, "", "encodage UTF-16 non pris en charge (attendu : UTF-8 ou Windows-1252)")
    ]


def test_damaged_utf8(loaded):
    [(line, column, reason)] = refused(
        loaded, pipeline.import_registry, "etalab-utf8-endommage.csv"
    )
    assert line == 3 and column.startswith("caractère ") and "UTF-8" in reason


def test_bad_finess_numbers_all_reported(loaded):
    issues = refused(loaded, pipeline.import_registry, "etalab-finess-invalide.csv")
    assert len(issues) == 2
    assert issues[0][:2] == (5, "nofinesset (2)") and "clé de contrôle" in issues[0][2]
    assert issues[1][:2] == (9, "nofinessej (3)") and "9 caractères attendus" in issues[1][2]


def test_truncated_file(loaded):
    issues = refused(loaded, pipeline.import_registry, "etalab-tronque.csv")
    assert len(issues) == 1
    assert issues[0][0] == 12 and "ligne incomplète" in issues[0][2]
    assert "tronqué" in issues[0][2]


def test_duplicated_establishment(loaded):
    issues = refused(loaded, pipeline.import_registry, "etalab-doublon.csv")
    assert len(issues) == 1
    assert issues[0][0] == 27 and "en double (déjà ligne 7)" in issues[0][2]


def test_missing_column(loaded):
    issues = refused(loaded, pipeline.import_registry, "gisco-colonne-manquante.csv")
    assert issues == [(1, "lat", "colonne attendue absente : lat")]


def test_esatis_missing_column(loaded):
    issues = refused(loaded, pipeline.import_esatis, "esatis-colonne-manquante.csv")
    assert issues == [(1, "inf_douleur", "colonne attendue absente : inf_douleur")]


def record_lines(name: str) -> list[int]:
    """Physical line where each record starts, found without a CSV parser: a record starts
    with `<finess>;2024;mco48h;` after a line break (comments span several lines)."""
    content = (BROKEN / name).read_bytes()
    starts = [m.start() + 1 for m in re.finditer(rb"\n[0-9AB]{9};2024;mco48h;", content)]
    return [content.count(b"\n", 0, start) + 1 for start in starts]


def test_esatis_invalid_values_all_reported(loaded):
    issues = refused(loaded, pipeline.import_esatis, "esatis-valeurs-invalides.csv")
    by_line = {(line, column): reason for line, column, reason in issues}
    lines = record_lines("esatis-valeurs-invalides.csv")  # lines[k]: record k + 1
    assert set(by_line) == {
        (lines[1], "acc_admission"),
        (lines[3], "date_sortie"),
        (lines[6], "finess"),
        (lines[8], "id_reponse"),
    }
    assert by_line[(lines[1], "acc_admission")] == (
        "réponse invalide (1 à 4, ou 9 « non concerné ») : « 5 »"
    )
    assert "31/02/2024" in by_line[(lines[3], "date_sortie")]
    assert "clé de contrôle" in by_line[(lines[6], "finess")]
    assert "en double" in by_line[(lines[8], "id_reponse")]


def test_esatis_truncated(loaded):
    issues = refused(loaded, pipeline.import_esatis, "esatis-tronque.csv")
    assert len(issues) == 1
    line, _, reason = issues[0]
    # Comments span several lines: the cut record starts after the file's last line break.
    last_line = (BROKEN / "esatis-tronque.csv").read_bytes().count(b"\n") + 1
    assert line == last_line > 61 and "champs au lieu de" in reason


def test_esatis_wrong_separator(loaded):
    issues = refused(loaded, pipeline.import_esatis, "esatis-tabulations.csv")
    assert issues == [
        (1, "", "en-tête illisible : séparateur « ; » attendu et une ligne d'en-tête")
    ]


def test_missing_file(loaded, tmp_path):
    before = table_fingerprint(loaded)
    with pytest.raises(InvalidFile, match="fichier introuvable"):
        pipeline.import_registry(loaded, tmp_path / "absent.csv")
    assert table_fingerprint(loaded) == before


def test_registry_with_a_header_only(loaded, tmp_path):
    path = tmp_path / "entete-seule.csv"
    path.write_text(BUNDLED_GISCO.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    before = table_fingerprint(loaded)
    with pytest.raises(InvalidFile, match="aucun établissement"):
        pipeline.import_registry(loaded, path)
    assert table_fingerprint(loaded) == before


def test_missing_file_names_no_line(loaded, tmp_path):
    with pytest.raises(InvalidFile) as error:
        pipeline.import_registry(loaded, tmp_path / "absent.csv")
    assert str(error.value.issues[0]) == f"absent.csv : fichier introuvable : {tmp_path}/absent.csv"


def test_a_directory_is_said_to_be_one(loaded, tmp_path):
    folder = tmp_path / "fichiers"
    folder.mkdir()
    before = table_fingerprint(loaded)
    with pytest.raises(InvalidFile) as error:
        pipeline.import_tabular(loaded, "audits", folder)
    assert table_fingerprint(loaded) == before
    [issue] = error.value.issues
    assert str(issue) == (
        f"fichiers : {folder} est un dossier, pas un fichier : indiquez les fichiers à importer"
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("vide.csv", "fichier vide (0 octet)"),
        ("vide-bom.csv", "fichier vide : aucune ligne, pas même l'en-tête"),
    ],
)
@pytest.mark.parametrize(
    "importer",
    [
        pipeline.import_registry,
        pipeline.import_esatis,
        pipeline.import_published_results,
        lambda wh, path: pipeline.import_tabular(wh, "audits", path),
    ],
    ids=["registry", "esatis", "esatis-results", "audits"],
)
def test_an_empty_file_is_said_to_be_empty(loaded, importer, name, reason):
    assert refused(loaded, importer, name) == [(0, "", reason)]


def test_renamed_column_names_the_missing_and_the_unexpected_one(loaded):
    issues = refused(loaded, pipeline.import_esatis, "esatis-colonne-renommee.csv")
    assert issues == [
        (
            1,
            "inf_douleur",
            "colonne attendue absente : inf_douleur ; colonne inattendue : inf_doleur",
        )
    ]
    issues = refused(
        loaded,
        lambda wh, path: pipeline.import_tabular(wh, "audits", path),
        "audits-colonne-renommee.csv",
    )
    assert issues == [
        (1, "conforme", "colonne attendue absente : conforme ; colonne inattendue : resultat")
    ]


def test_renamed_column_of_a_published_results_file(loaded, tmp_path):
    published = FIXTURES / "published" / "resultats-esatis48h-mco-open-data-2019.csv"
    path = tmp_path / published.name
    path.write_bytes(published.read_bytes().replace(b";classement;", b";classe;", 1))
    with pytest.raises(InvalidFile) as error:
        pipeline.import_published_results(loaded, path)
    assert [(i.line, i.column, i.reason) for i in error.value.issues] == [
        (1, "classement", "colonne attendue absente : classement ; colonne inattendue : classe")
    ]


def test_renamed_column_of_a_registry_file(loaded, tmp_path):
    path = tmp_path / "gisco.csv"
    path.write_bytes(BUNDLED_GISCO.read_bytes().replace(b",lat,", b",latitude,", 1))
    with pytest.raises(InvalidFile) as error:
        pipeline.import_registry(loaded, path)
    assert [(i.line, i.column, i.reason) for i in error.value.issues] == [
        (1, "lat", "colonne attendue absente : lat ; colonne inattendue : latitude")
    ]
