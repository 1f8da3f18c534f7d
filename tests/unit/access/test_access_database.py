"""The access database: a SQLite file beside the warehouse (never the warehouse itself), WAL,
foreign keys, owner-only permissions, a schema version refused when it is not this one."""

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from hospiscope.access import accounts, database
from hospiscope.access.database import (
    SCHEMA_MODULES,
    SCHEMA_VERSION,
    AccessDatabase,
    AccessDatabaseError,
    access_path,
)

NOW = datetime(2025, 3, 1, tzinfo=UTC)


def test_access_path_is_beside_the_warehouse():
    assert access_path(Path("var/hospiscope.duckdb")) == Path("var/hospiscope-acces.sqlite")
    assert access_path("/data/w.duckdb") == Path("/data/w-acces.sqlite")


def test_created_with_schema_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "sous-dossier" / "w-acces.sqlite"
    with AccessDatabase(path) as db:
        con = db.con
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert con.execute("SELECT schema_version FROM schema_info").fetchall() == [
            (SCHEMA_VERSION,)
        ]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert {"accounts", "api_tokens", "sessions", "audit_events", "review_states"} <= tables
        assert {"review_transitions", "review_acceptances", "review_contests"} <= tables
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), db.transaction() as c:
            c.execute(
                "INSERT INTO api_tokens (account_id, token_hash, created_at, expires_at) "
                "VALUES (42, 'x', 'a', 'b')"
            )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with AccessDatabase(path) as db:  # opened again: nothing added twice
        assert db.con.execute("SELECT count(*) FROM schema_info").fetchone()[0] == 1


def test_schema_modules_define_their_schema():
    assert all(isinstance(module.SCHEMA, str) for module in SCHEMA_MODULES)
    assert SCHEMA_MODULES[0] is accounts


def test_transaction_commits_or_rolls_back(tmp_path):
    path = tmp_path / "a-acces.sqlite"
    with AccessDatabase(path) as db:
        with db.transaction() as con:
            accounts.add_account(con, "alice", "national", [], None, NOW)
        with pytest.raises(RuntimeError), db.transaction() as con:
            accounts.add_account(con, "bob", "national", [], None, NOW)
            raise RuntimeError
    with AccessDatabase(path) as db:
        assert [a.login for a in accounts.list_accounts(db.con)] == ["alice"]


def test_never_written_into_the_warehouse(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    before = warehouse.read_bytes()
    with pytest.raises(AccessDatabaseError, match="ne peut pas être un fichier DuckDB"):
        AccessDatabase(warehouse)
    renamed = tmp_path / "w-acces.sqlite"
    renamed.write_bytes(before)
    with pytest.raises(AccessDatabaseError, match="n'est pas une base d'accès hospiscope"):
        AccessDatabase(renamed)
    assert warehouse.read_bytes() == before


def test_other_sqlite_files_are_refused(tmp_path):
    path = tmp_path / "autre.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x)")
    con.close()
    with pytest.raises(AccessDatabaseError, match=r"pas une base d'accès hospiscope.*notes"):
        AccessDatabase(path)
    with pytest.raises(AccessDatabaseError, match="est un dossier"):
        AccessDatabase(tmp_path)


def test_newer_version_is_refused_in_french(tmp_path):
    path = tmp_path / "a-acces.sqlite"
    AccessDatabase(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_info SET schema_version = ?", [SCHEMA_VERSION + 1])
    con.commit()
    con.close()
    with pytest.raises(AccessDatabaseError, match="plus récente que ce hospiscope"):
        AccessDatabase(path)


def test_older_version_is_migrated_or_refused(tmp_path, monkeypatch):
    path = tmp_path / "a-acces.sqlite"
    monkeypatch.setattr(database, "SCHEMA_VERSION", 1)
    AccessDatabase(path).close()
    monkeypatch.setattr(database, "SCHEMA_VERSION", 2)
    with pytest.raises(AccessDatabaseError, match="ne sait pas mettre à jour"):
        AccessDatabase(path)
    monkeypatch.setattr(database, "MIGRATIONS", {2: ["ALTER TABLE accounts ADD COLUMN email TEXT"]})
    with AccessDatabase(path) as db:
        assert db.con.execute("SELECT schema_version FROM schema_info").fetchone() == (2,)
        columns = [r[1] for r in db.con.execute("PRAGMA table_info(accounts)")]
        assert "email" in columns
