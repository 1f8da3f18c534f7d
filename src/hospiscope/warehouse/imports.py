"""Recorded, all-or-nothing imports.

Every import runs in one transaction that writes the data *and* its `import_runs` record: a
failure — invalid data, a crash, a kill — leaves the warehouse exactly as it was. A file whose
sha256 was already imported for the same kind is not imported again (re-importing changes
nothing); a different file for a campaign already imported is a correction, taken only as a
replacement (warehouse/replacement.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from hospiscope import __version__
from hospiscope.sources.issues import WARNING, Issue
from hospiscope.sources.textfile import check_input_file
from hospiscope.warehouse.unregistered import note_unregistered
from hospiscope.warehouse.warehouse import Warehouse

# Fault injection for the kill-during-import test: when set to a path, the import writes that
# file and waits just before COMMIT, so that a test can kill the process mid-transaction.
FAULT_PAUSE_ENV = "HOSPISCOPE_FAULT_PAUSE_BEFORE_COMMIT"


@dataclass
class Written:
    """What a writer did inside the import transaction."""

    layout: str
    rows_read: int
    rows_accepted: int
    issues: list[Issue] = field(default_factory=list)  # warnings + rejected lines
    encoding: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        return len({issue.line for issue in self.issues if issue.severity != WARNING})


@dataclass
class ImportOutcome:
    kind: str
    file: Path
    run_id: int | None
    already_imported_as: int | None = None
    written: Written | None = None
    duration_s: float = 0.0

    @property
    def skipped(self) -> bool:
        return self.already_imported_as is not None


Writer = Callable[[duckdb.DuckDBPyConnection, int], Written]


class RetryImport(Exception):
    """Raised by a writer whose attempt taught it how the file must be read — its fast path
    (one pass: check and store in one statement) found something wrong, or the file is not
    in the encoding first assumed: run_import rolls the transaction back (nothing of the
    attempt is kept) and calls the writer again in a new transaction."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def previous_import(con: duckdb.DuckDBPyConnection, kind: str, sha256: str) -> int | None:
    """The run that imported this file, unless a corrected file replaced it since (importing
    it again then puts it back, with `--remplace`)."""
    row = con.execute(
        """SELECT min(run_id) FROM import_runs WHERE kind = ? AND sha256 = ?
        AND run_id NOT IN (SELECT run_id FROM replaced_imports)""",
        [kind, sha256],
    ).fetchall()[0]
    return row[0]


def run_import(
    warehouse: Warehouse,
    kind: str,
    path: Path,
    write: Writer,
    *,
    options: dict[str, Any] | None = None,
    after_write: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> ImportOutcome:
    """Import `path` with `write` in one transaction and record the run.

    `write` raises InvalidFile to refuse the file: the transaction is rolled back.
    `after_write` runs in the same transaction (e.g. refreshing peer groups).
    """
    path = Path(path)
    check_input_file(path)
    sha256 = file_sha256(path)
    existing = previous_import(warehouse.con, kind, sha256)
    if existing is not None:
        return ImportOutcome(kind, path, None, already_imported_as=existing)
    started, clock = dt.datetime.now(), time.perf_counter()
    run_id = None
    while True:
        try:
            with warehouse.transaction() as con:
                # A second attempt keeps the run's number (DuckDB's sequences are not
                # transactional: the number is not handed out again).
                if run_id is None:
                    run_id = con.execute("SELECT nextval('import_run_ids')").fetchall()[0][0]
                written = write(con, run_id)
                if after_write:
                    after_write(con)
                note_unregistered(con, run_id, written.metadata)  # FINESS the registry lacks
                duration = time.perf_counter() - clock
                _record(con, run_id, kind, path, sha256, written, started, duration, options or {})
                _pause_if_requested()
            break
        except RetryImport:
            continue  # rolled back; the writer reads the file as it learnt
    return ImportOutcome(kind, path, run_id, written=written, duration_s=duration)


def _record(
    con,
    run_id: int,
    kind: str,
    path: Path,
    sha256: str,
    written: Written,
    started: dt.datetime,
    duration: float,
    options: dict[str, Any],
) -> None:
    warnings = sum(1 for issue in written.issues if issue.severity == WARNING)
    con.execute(
        "INSERT INTO import_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            kind,
            written.layout,
            path.name,
            str(path.resolve()),
            sha256,
            written.encoding,
            written.rows_read,
            written.rows_accepted,
            written.rows_rejected,
            warnings,
            started,
            started + dt.timedelta(seconds=duration),
            duration,
            json.dumps(options),
            json.dumps(written.metadata, default=str),
            __version__,
        ],
    )
    if written.issues:
        issues = pa.table(
            {
                "run_id": pa.array([run_id] * len(written.issues), pa.int32()),
                "line": pa.array([i.line for i in written.issues], pa.int32()),
                "column_name": [i.column for i in written.issues],
                "severity": [i.severity for i in written.issues],
                "reason": [i.reason for i in written.issues],
            }
        )
        con.register("new_import_issues", issues)
        con.execute("INSERT INTO import_issues SELECT * FROM new_import_issues")
        con.unregister("new_import_issues")


def _pause_if_requested() -> None:
    marker = os.environ.get(FAULT_PAUSE_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(3600)
