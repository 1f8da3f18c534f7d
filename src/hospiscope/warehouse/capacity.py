"""Writing capacity files (beds and places) into the warehouse; a new file for an existing
(establishment, year) replaces those values."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.sources import capacity
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.imports import Written


def capacity_writer(path: Path, *, skip_invalid: bool = False):
    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        rows, issues = capacity.read(path)
        rejected = errors(issues)
        if rejected and (not skip_invalid or not rows):
            raise InvalidFile(rejected)
        if not rows:
            raise InvalidFile(
                [Issue(path.name, 2, "", "aucune ligne de capacités dans le fichier")]
            )
        table = pa.Table.from_pylist(rows).select(list(capacity.TARGETS))
        con.register("new_capacity", table)
        con.execute(
            "DELETE FROM capacity WHERE (finess_et, year) IN "
            "(SELECT (finess_et, year) FROM new_capacity)"
        )
        con.execute(
            f"INSERT INTO capacity BY NAME SELECT *, {int(run_id)} AS import_run_id "
            "FROM new_capacity"
        )
        con.unregister("new_capacity")
        return Written(
            layout="capacites",
            rows_read=len(rows) + len({i.line for i in rejected}),
            rows_accepted=len(rows),
            issues=issues,
            encoding=encoding.label,
        )

    return write
