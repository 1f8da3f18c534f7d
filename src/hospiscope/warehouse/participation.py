"""Writing e-Satis participation files; a new file replaces the rows of the same
(establishment, campaign, questionnaire)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.sources.esatis import participation
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.imports import Written

COLUMNS = ("finess_et", "campaign", "questionnaire", "participated", "validated")


def participation_writer(path: Path, *, skip_invalid: bool = False):
    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        rows, issues = participation.read(path)
        rejected = errors(issues)
        if rejected and (not skip_invalid or not rows):
            raise InvalidFile(rejected)
        if not rows:
            raise InvalidFile([Issue(path.name, 2, "", "aucune ligne de participation")])
        con.register("new_participation", pa.Table.from_pylist(rows).select(list(COLUMNS)))
        con.execute("""DELETE FROM esatis_participation WHERE (finess_et, campaign,
            questionnaire) IN (SELECT (finess_et, campaign, questionnaire)
            FROM new_participation)""")
        con.execute(
            f"INSERT INTO esatis_participation BY NAME SELECT *, {int(run_id)} AS "
            "import_run_id FROM new_participation"
        )
        con.unregister("new_participation")
        return Written(
            layout="esatis-participation",
            rows_read=len(rows) + len({i.line for i in rejected}),
            rows_accepted=len(rows),
            issues=issues,
            encoding=encoding.label,
        )

    return write
