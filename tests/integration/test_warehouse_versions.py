"""A warehouse written by an earlier version of hospiscope is migrated by the next writer;
read-only commands say so instead of failing obscurely; a newer warehouse is refused; a
warehouse of the current version opens as it is (the results table generated from its
declaration is the one the earlier schema text created)."""

import duckdb
import pytest

from hospiscope.results.store import read_results
from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.results_schema import results_table_ddl
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


# The results table as schema version 3 created it, from the text of schema.sql before the
# table was generated from its declaration (warehouse/results_schema.py): kept verbatim to
# prove that the generated DDL creates the very same table, so no migration is needed.
VERSION_3_RESULTS = """
CREATE TABLE IF NOT EXISTS results (
    indicator_code VARCHAR NOT NULL,
    method_version VARCHAR NOT NULL,
    definition_hash VARCHAR NOT NULL,  -- fingerprint of the computation (guards silent changes)
    period VARCHAR NOT NULL,
    entity_kind VARCHAR NOT NULL,      -- etablissement | national | region | departement | strate
    entity_id VARCHAR NOT NULL,
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE,
    ci_low DOUBLE,
    ci_high DOUBLE,
    ci_level DOUBLE,
    ci_method VARCHAR,
    class VARCHAR,
    status VARCHAR,                    -- NULL when published; DI, NR, NV, NC otherwise
    import_runs INTEGER[] NOT NULL,
    computation_id INTEGER,            -- NULL for results imported as published (origin)
    computed_at TIMESTAMP NOT NULL,
    details JSON,                      -- unadjusted value, expected, positions, evolution…
    origin VARCHAR NOT NULL DEFAULT 'calcul'  -- calcul (hospiscope) | publie (source file)
);
"""


def results_table(con) -> tuple:
    """Everything DuckDB knows of the results table: its statement as DuckDB writes it back
    from its catalogue, its columns (order, type, null, default) and its constraints."""
    return (
        con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'results'").fetchall(),
        con.execute(
            "SELECT column_name, column_index, data_type, is_nullable, column_default, "
            "numeric_precision, numeric_scale FROM duckdb_columns() "
            "WHERE table_name = 'results' ORDER BY column_index"
        ).fetchall(),
        con.execute(
            "SELECT constraint_type, constraint_text, expression, constraint_column_indexes, "
            "constraint_column_names FROM duckdb_constraints() WHERE table_name = 'results' "
            "ORDER BY ALL"
        ).fetchall(),
    )


def test_the_generated_table_is_the_one_version_3_created():
    old, new = duckdb.connect(), duckdb.connect()
    old.execute(VERSION_3_RESULTS)
    new.execute(results_table_ddl())
    assert results_table(old) == results_table(new)
    assert len(results_table(new)[1]) == 20


def version_3(path):
    """A warehouse whose results table the version-3 text created, holding a result."""
    with Warehouse(path) as wh:
        wh.con.execute("DROP TABLE results")
        wh.con.execute(VERSION_3_RESULTS)
        wh.con.execute(
            "INSERT INTO results (indicator_code, method_version, definition_hash, period, "
            "entity_kind, entity_id, value, import_runs, computed_at) VALUES "
            "('X', '1.0', 'h', '2024', 'national', 'FR', 0.5, [1], TIMESTAMP '2026-12-01')"
        )
    return path


def test_a_version_3_warehouse_opens_as_it_is_without_migration(tmp_path):
    path = version_3(tmp_path / "v3.duckdb")
    with duckdb.connect(str(path)) as con:
        before = results_table(con)
    with Warehouse(path, read_only=True) as wh:  # a reader: no migration could run
        assert results_table(wh.con) == before
    with Warehouse(path) as wh:  # a writer: nothing to migrate, nothing changed
        assert wh.con.execute("SELECT version FROM schema_info").fetchall() == [(3,)]
        assert results_table(wh.con) == before
        frame = read_results(wh.con, indicator="X", origin="tout")
        assert frame["value"].tolist() == [0.5] and frame["origin"].tolist() == ["calcul"]
    fresh = Warehouse(tmp_path / "neuf.duckdb")
    with fresh:
        assert results_table(fresh.con) == before
