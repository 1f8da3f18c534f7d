"""Writing files read with a `sources.tabular.Layout` into their warehouse table: rows of the
same key already in the warehouse are replaced (a corrected file supersedes the old one)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.tabular import Layout, read_table
from hospiscope.sources.tabular_fast import read_table_fast
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.imports import Written


def table_writer(path: Path, layout: Layout, table: str, *, skip_invalid: bool = False):
    """A writer (see imports.run_import) for one file of `layout` into warehouse `table`."""

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        valid = read_table_fast(path, layout, encoding)  # None: read line by line
        if valid is not None and valid.num_rows:
            replace_rows(con, table, valid, layout.key, run_id)
            return Written(layout.name, valid.num_rows, valid.num_rows, [], encoding.label)
        rows, issues = read_table(path, layout, encoding)
        rejected = errors(issues)
        if rejected and (not skip_invalid or not rows):
            raise InvalidFile(rejected)
        if not rows:
            raise InvalidFile(
                [Issue(path.name, 2, "", f"aucune ligne de données ({layout.label})")]
            )
        replace_rows(con, table, pa.Table.from_pylist(rows), layout.key, run_id)
        return Written(
            layout=layout.name,
            rows_read=len(rows) + len({i.line for i in rejected}),
            rows_accepted=len(rows),
            issues=issues,
            encoding=encoding.label,
        )

    return write


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
