"""Capacity files: size groups follow them; bad values and empty files are refused."""

import pytest

from hospiscope import pipeline
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

HEADER = "annee;finess;lits_mco;places_mco;lits_smr;places_smr;lits_psy;places_psy;lits_sld"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def write(tmp_path, *lines, name="capacites.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8-sig")
    return path


def size_group(warehouse, finess):
    return warehouse.con.execute(
        """SELECT group_code FROM peer_groups
        WHERE stratification = 'taille' AND finess_et = ?""",
        [finess],
    ).fetchall()[0][0]


def test_size_groups_follow_the_latest_year(registry, tmp_path):
    assert size_group(registry, "010000065") == "NR"
    pipeline.import_capacity(registry, write(tmp_path, "2022;010000065;250;20;;;;;40"))
    assert size_group(registry, "010000065") == "T3"  # 310 beds and places
    pipeline.import_capacity(registry, write(tmp_path, "2023;010000065;60;;;;;;", name="b.csv"))
    assert size_group(registry, "010000065") == "T1"  # the latest year wins
    pipeline.import_capacity(registry, write(tmp_path, "2023;010000065;99;1;;;;;", name="c.csv"))
    assert size_group(registry, "010000065") == "T2"  # replaced, 100 is the T2 lower bound
    assert registry.count("capacity") == 2


def test_bad_values_are_all_reported_and_nothing_changes(registry, tmp_path):
    before = table_fingerprint(registry)
    path = write(tmp_path, "2023;010000065;-5;;;;;;", "23;010000066;10;;;;;;", "2023;010000107")
    with pytest.raises(InvalidFile) as error:
        pipeline.import_capacity(registry, path)
    found = [(i.line, i.column) for i in error.value.issues]
    assert found == [(2, "lits_mco"), (3, "annee"), (3, "finess"), (4, "")]
    assert table_fingerprint(registry) == before


def test_header_only_is_refused(registry, tmp_path):
    with pytest.raises(InvalidFile, match="aucune ligne de données"):
        pipeline.import_capacity(registry, write(tmp_path))
