"""A warehouse written by an earlier version of hospiscope is migrated by the next writer;
read-only commands say so instead of failing obscurely; a newer warehouse is refused."""

import pytest

from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.warehouse import SCHEMA_VERSION, WarehouseError


def version_1(path):
    """A warehouse as schema version 1 left it (results without details and origin)."""
    with Warehouse(path) as wh:
        wh.con.execute("ALTER TABLE results DROP COLUMN details")
        wh.con.execute("ALTER TABLE results DROP COLUMN origin")
        wh.con.execute("UPDATE schema_info SET version = 1")
    return path


def columns(wh):
    return {
        row[0]
        for row in wh.con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'results'"
        ).fetchall()
    }


def test_read_only_open_of_an_older_warehouse_says_what_to_do(tmp_path):
    path = version_1(tmp_path / "ancien.duckdb")
    with pytest.raises(WarehouseError, match=r"version antérieure.*schéma 1.*hospiscope compute"):
        Warehouse(path, read_only=True)


def test_a_writer_migrates_it(tmp_path):
    path = version_1(tmp_path / "ancien.duckdb")
    with Warehouse(path) as wh:
        assert {"details", "origin"} <= columns(wh)
    with Warehouse(path, read_only=True) as wh:
        assert wh.con.execute("SELECT version FROM schema_info").fetchall() == [(SCHEMA_VERSION,)]


def test_a_newer_warehouse_is_refused(tmp_path):
    path = tmp_path / "futur.duckdb"
    with Warehouse(path) as wh:
        wh.con.execute("UPDATE schema_info SET version = ?", [SCHEMA_VERSION + 1])
    with pytest.raises(WarehouseError, match="plus récente"):
        Warehouse(path, read_only=True)
