"""Writing files read with a `sources.tabular.Layout` into their warehouse table. A family with
a campaign scope (sources.families) takes a second file of the same campaign only as a
replacement (`replace`, warehouse/replacement.py); within that, and for reference data without
a scope (capacities), rows of the same key already stored are replaced by the new ones."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.tabular import Layout, read_table
from hospiscope.sources.tabular_fast import read_table_fast
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.imports import Written
from hospiscope.warehouse.replacement import table_scope, take_over

# Below this size the line-by-line reader is faster than DuckDB's fast path, whose fixed cost
# (a connection, a dozen statements: about 80 ms) a small file does not repay: measured on the
# participation files of a national e-Satis campaign (1 200–1 800 lines, 35–50 kB), 15–25 ms
# line by line against 90 ms. Both readers give the same rows (tests/unit/sources/
# test_tabular_fast.py).
FAST_PATH_MIN_BYTES = 256 * 1024


def table_writer(
    path: Path,
    layout: Layout,
    table: str,
    *,
    skip_invalid: bool = False,
    scope: tuple[tuple[str, str], ...] = (),
    replace: bool = False,
):
    """A writer (see imports.run_import) for one file of `layout` into warehouse `table`;
    `scope`: the family's campaign columns (sources.families.TabularImport.scope)."""

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        valid = None  # None: read line by line
        if path.stat().st_size >= FAST_PATH_MIN_BYTES:
            valid = read_table_fast(path, layout, encoding)
        if valid is not None and valid.num_rows:
            rows, issues, rejected = valid, [], []
        else:
            found, issues = read_table(path, layout, encoding)
            rejected = errors(issues)
            if rejected and (not skip_invalid or not found):
                raise InvalidFile(rejected)
            if not found:
                raise InvalidFile(
                    [Issue(path.name, 2, "", f"aucune ligne de données ({layout.label})")]
                )
            rows = pa.Table.from_pylist(found)
        replaced = _take_over(con, rows, layout, table, scope, run_id, path, replace)
        replace_rows(con, table, rows, layout.key, run_id)
        return Written(
            layout=layout.name,
            rows_read=rows.num_rows + len({i.line for i in rejected}),
            rows_accepted=rows.num_rows,
            issues=issues,
            encoding=encoding.label,
            metadata={"remplace": replaced} if replaced else {},
        )

    return write


def _take_over(con, rows: pa.Table, layout, table, scope, run_id, path, replace) -> list:
    if not scope:
        return []
    con.register("scoped_rows", rows)
    try:
        found = table_scope(con, table, layout.label, scope, "scoped_rows")
    finally:
        con.unregister("scoped_rows")
    return take_over(con, found, run_id, path, replace=replace)


def replace_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, key: tuple[str, ...], run_id: int
) -> None:
    """Insert `rows` (by column name; columns the table lacks are ignored, missing ones are
    NULL) after deleting the stored rows of the same keys."""
    columns = [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal",
            [table],
        ).fetchall()
        if row[0] != "import_run_id"
    ]
    new = pa.table(
        {c: rows[c] if c in rows.column_names else pa.nulls(rows.num_rows) for c in columns}
    )
    con.register("new_rows", new)
    keys = ", ".join(key)
    con.execute(f"DELETE FROM {table} WHERE ({keys}) IN (SELECT ({keys}) FROM new_rows)")
    con.execute(
        f"INSERT INTO {table} BY NAME SELECT *, {int(run_id)} AS import_run_id FROM new_rows"
    )
    con.unregister("new_rows")
