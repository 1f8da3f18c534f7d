"""One result schema (warehouse.results_schema): the table the warehouse creates, what
finalisation hands over and what storage writes are all that declaration."""

import duckdb
import pandas as pd

from hospiscope.catalogue import get_indicator
from hospiscope.results.finalize import finalize
from hospiscope.results.store import STORED_COLUMNS
from hospiscope.warehouse.results_schema import (
    FINALISED_COLUMNS,
    RESULT_COLUMNS,
    RESULT_KEYS,
    insert_results_sql,
    results_table_ddl,
)

from support import ROOT


def table_columns(con) -> list[tuple]:
    return con.execute(
        "SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
        "WHERE table_name = 'results' ORDER BY column_index"
    ).fetchall()


def declared() -> list[tuple]:
    return [
        (c.name, c.sql_type, not c.not_null, c.default)
        for c in RESULT_COLUMNS  # DuckDB spells the types and defaults as declared
    ]


def test_the_warehouse_table_is_the_declaration(warehouse):
    # fails when the DDL and the declaration diverge (or results are declared elsewhere too)
    assert table_columns(warehouse.con) == declared()


def test_the_generated_ddl_creates_the_declared_table():
    con = duckdb.connect()
    con.execute(results_table_ddl())
    assert table_columns(con) == declared()
    assert "-- fingerprint of the computation" in results_table_ddl()  # meanings kept


def test_schema_sql_does_not_declare_results_again():
    script = (ROOT / "src" / "hospiscope" / "warehouse" / "schema.sql").read_text("utf-8")
    assert "TABLE IF NOT EXISTS results" not in script


def test_storage_writes_every_column_and_finalisation_hands_over_its_own(warehouse):
    assert [column[0] for column in table_columns(warehouse.con)] == list(STORED_COLUMNS)
    assert FINALISED_COLUMNS[:3] == RESULT_KEYS
    assert set(FINALISED_COLUMNS) == {c.name for c in RESULT_COLUMNS if c.finalised}
    raw = pd.DataFrame(
        [("national", "FR", "2024", 5, 10)],
        columns=["entity_kind", "entity_id", "period", "numerator", "denominator"],
    )
    assert tuple(finalize(get_indicator("VACCIN_GRIPPE"), raw).columns) == FINALISED_COLUMNS


def test_the_insert_goes_by_name_whatever_the_frame_order(warehouse):
    row = {
        "indicator_code": "X",
        "method_version": "1.0",
        "definition_hash": "h",
        "period": "2024",
        "entity_kind": "national",
        "entity_id": "FR",
        "numerator": 1.0,
        "denominator": 2.0,
        "value": 0.5,
        "ci_low": 0.1,
        "ci_high": 0.9,
        "ci_level": 0.95,
        "ci_method": "Wilson",
        "class": "A",
        "status": None,
        "import_runs": [1],
        "computation_id": 1,
        "computed_at": pd.Timestamp("2026-12-03 09:00"),
        "details": '{"a": 1}',
        "origin": "calcul",
    }
    frame = pd.DataFrame([row])[list(reversed(STORED_COLUMNS))]
    warehouse.con.register("shuffled", frame)
    warehouse.con.execute(insert_results_sql("shuffled"))
    stored = warehouse.con.execute("SELECT * FROM results").df()
    assert stored.loc[0, "value"] == 0.5 and stored.loc[0, "class"] == "A"
    assert stored.loc[0, "ci_method"] == "Wilson" and stored.loc[0, "origin"] == "calcul"
