"""Writing files read with a `sources.tabular.Layout` into their warehouse table.

One pass for a large valid file, the common case: a single `INSERT … SELECT` reads the file
with DuckDB, checks every value while typing it and stores the rows (the checked SELECT comes
from sources/tabular_fast.py, derived from the column model); whole-record checks (a key
twice, FINESS check digits) then read what was stored. If anything fails, the writer asks
imports.run_import to roll the transaction back and call it again (RetryImport): the
line-by-line reader (sources/tabular.py) then names every problem and gives the valid rows for
`--skip-invalid`. A small file is read line by line at once.

A family with a campaign scope (sources.families) takes a second file of the same campaign only
as a replacement (`replace`, warehouse/replacement.py); within that, and for reference data
without a scope (capacities), rows of the same key stored by earlier imports are replaced by
the new ones."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.sources import tabular_fast
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.tabular import Layout, read_table
from hospiscope.sources.textfile import READ_CSV, Encoding, detect_encoding, utf8_copy
from hospiscope.warehouse.imports import RetryImport, Written
from hospiscope.warehouse.replacement import table_scope, take_over

# Below this size the line-by-line reader is about as fast as DuckDB's one pass, whose fixed
# cost (a few statements) a small file does not repay: an audit file of 42 kB imports in 37 ms
# line by line and 41 ms in one pass, one of 171 kB in 78 and 54 ms (bench/
# bench_tabular_import.py). Both paths store the same rows (tests/unit/sources/
# test_tabular_fast.py).
FAST_PATH_MIN_BYTES = 64 * 1024


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
    # What an attempt learnt for the next one (imports.RetryImport): the file's encoding, and
    # whether the line-by-line reader must decide.
    learnt: dict = {"encoding": None, "detailed": path.stat().st_size < FAST_PATH_MIN_BYTES}

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = learnt["encoding"] = learnt["encoding"] or detect_encoding(path)
        issues: list[Issue] = []
        rejected: list[Issue] = []
        if learnt["detailed"]:
            found, issues = read_table(path, layout, encoding)
            rejected = errors(issues)
            if rejected and (not skip_invalid or not found):
                raise InvalidFile(rejected)
            if not found:
                raise InvalidFile([_no_rows(path, layout)])
            _insert(con, table, pa.Table.from_pylist(found), run_id)
            accepted = len(found)
        else:
            accepted = store_one_pass(con, path, layout, table, encoding, run_id)
            if accepted is None:
                learnt["detailed"] = True
                raise RetryImport
        replaced = _take_over(con, layout, table, scope, run_id, path, replace)
        _replace_earlier_keys(con, table, layout.key, run_id)
        return Written(
            layout=layout.name,
            rows_read=accepted + len({i.line for i in rejected}),
            rows_accepted=accepted,
            issues=issues,
            encoding=encoding.label,
            metadata={"remplace": replaced} if replaced else {},
        )

    return write


def store_one_pass(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: Layout,
    table: str,
    encoding: Encoding,
    run_id: int,
) -> int | None:
    """Check and store the file in one statement: the number of rows stored, or None when the
    line-by-line reader must decide (the caller then rolls back what was stored)."""
    if not tabular_fast.plain_lines(path):
        return None
    with utf8_copy(path, encoding) as utf8:
        try:
            header = con.execute(f"DESCRIBE SELECT * FROM {READ_CSV}", [str(utf8)]).fetchall()
        except duckdb.Error:
            return None
        select = tabular_fast.checked_select(
            layout, [row[0] for row in header], set(_columns(con, table)), run_id
        )
        if select is None:
            return None
        try:
            con.execute(f"INSERT INTO {table} BY NAME {select}", [str(utf8)])
        except duckdb.Error:  # REFUSED, or a file DuckDB reads otherwise than csv does
            return None
    records, keys, numbers = con.execute(
        tabular_fast.stored_summary(layout, table, run_id)
    ).fetchall()[0]
    if records == 0:
        raise InvalidFile([_no_rows(path, layout)])
    return records if tabular_fast.stored_rows_pass(records, keys, numbers) else None


def _no_rows(path: Path, layout: Layout) -> Issue:
    return Issue(path.name, 2, "", f"aucune ligne de données ({layout.label})")


def _take_over(con, layout, table, scope, run_id, path, replace) -> list:
    """Refuse, or with `replace` take over, the rows of earlier imports of the campaigns of
    the rows this run stored."""
    if not scope:
        return []
    found = table_scope(
        con, table, layout.label, scope, f"(SELECT * FROM {table} WHERE import_run_id = {run_id})"
    )
    earlier = dataclasses.replace(found, where=f"({found.where}) AND import_run_id <> {run_id}")
    return take_over(con, earlier, run_id, path, replace=replace)


def _replace_earlier_keys(con, table: str, key: tuple[str, ...], run_id: int) -> None:
    """Delete the rows of earlier imports that hold a key this run stored."""
    keys = ", ".join(key)
    con.execute(
        f"""DELETE FROM {table} WHERE import_run_id <> {int(run_id)} AND ({keys}) IN
        (SELECT ({keys}) FROM {table} WHERE import_run_id = {int(run_id)})"""
    )


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal",
            [table],
        ).fetchall()
        if row[0] != "import_run_id"
    ]


def _insert(con, table: str, rows: pa.Table, run_id: int) -> None:
    """Insert `rows` (by column name; columns the table lacks are ignored, missing ones are
    NULL)."""
    columns = set(_columns(con, table))
    kept = rows.select([c for c in rows.column_names if c in columns])
    con.register("new_rows", kept)
    try:
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT *, {int(run_id)} AS import_run_id FROM new_rows"
        )
    finally:
        con.unregister("new_rows")
