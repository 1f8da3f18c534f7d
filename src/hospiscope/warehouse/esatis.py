"""Writing e-Satis response files (one questionnaire per file) into their warehouse tables.

One pass for a valid file, the common case: a single `INSERT … SELECT` reads the file with
DuckDB, checks every value while typing it and stores the rows (the checked SELECT comes from
sources/esatis/checks.py, derived from the column model); whole-record checks (a response
twice, FINESS check digits) then read what was stored. If anything fails, the writer asks
imports.run_import to roll the transaction back and call it again (RetryImport): the
detailed reader (sources/esatis/detailed.py) then names every problem and gives the valid
records for `--skip-invalid`. Responses of a campaign already imported from another file are
refused, or replace the earlier ones with `--remplace` (warehouse/replacement.py).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.progress import NoProgress, Progress
from hospiscope.sources.esatis import checks
from hospiscope.sources.esatis.detailed import Responses, read_responses
from hospiscope.sources.esatis.lines import first_lines, structural_issues
from hospiscope.sources.esatis.questionnaires import Questionnaire
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.textfile import (
    READ_CSV,
    REFUSED,
    Encoding,
    detect_encoding,
    utf8_copy,
    utf8_encoding,
)
from hospiscope.warehouse.imports import RetryImport, Written
from hospiscope.warehouse.replacement import Scope, take_over, values_label

_HEADER_ONLY = "aucune réponse : le fichier ne contient que l'en-tête"


def esatis_writer(
    path: Path,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    replace: bool = False,
):
    """A writer (imports.run_import) for one questionnaire's response file. Responses of a
    campaign already imported for the questionnaire come only as a replacement (`replace`)."""
    progress = progress or NoProgress()
    # What an attempt learnt for the next one (imports.RetryImport): the file's encoding once
    # verified, and whether the detailed reader must decide.
    learnt: dict = {"encoding": None, "detailed": False}

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding, questionnaire, header_warnings = _header(path, learnt)
        progress.start(f"Lecture de {path.name}", total=2)
        if learnt["detailed"]:
            registry = con.execute("SELECT finess_et FROM establishments").fetchall()
            responses = read_responses(path, encoding, questionnaire, {r[0] for r in registry})
            campaigns = responses.campaigns
        else:
            try:
                done = _write_fast(con, path, encoding, questionnaire, run_id)
            except duckdb.Error:  # DuckDB could not read the file
                if learnt["encoding"] is None and _verified(path, learnt) != encoding:
                    raise RetryImport from None  # not UTF-8 after all: read its UTF-8 copy
                raise InvalidFile(structural_issues(path, encoding)) from None
            if done is None:
                learnt["detailed"] = True
                _verified(path, learnt)  # the fast path may have stopped before a bad byte
                raise RetryImport
            campaigns = done[3]
        progress.advance()
        # Before the file's own problems: a file of campaigns already imported is refused
        # for that first, valid or not.
        scope = _scope(questionnaire, campaigns, run_id)
        replaced = take_over(con, scope, run_id, path, replace=replace)
        if learnt["detailed"]:
            done = _write_detailed(con, path, questionnaire, responses, run_id, skip_invalid)
        rows, accepted, issues, _ = done
        progress.advance()
        return Written(
            layout=f"esatis-{questionnaire.code}",
            rows_read=rows,
            rows_accepted=accepted,
            issues=header_warnings + issues,
            encoding=encoding.label,
            metadata={"questionnaire": questionnaire.code}
            | ({"remplace": replaced} if replaced else {}),
        )

    return write


Done = tuple[int, int, list[Issue], list[int]]  # records, accepted, issues, campaigns


def _write_fast(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    encoding: Encoding,
    questionnaire: Questionnaire,
    run_id: int,
) -> Done | None:
    """Check and store the file in one statement; None when the detailed reader must decide
    (the caller then rolls back); a DuckDB error when DuckDB cannot read the file. The only
    issues left are establishments the registry lacks, found on the stored numbers and
    placed at their first line."""
    with utf8_copy(path, encoding) as utf8:
        header = con.execute(f"DESCRIBE SELECT * FROM {READ_CSV}", [str(utf8)]).fetchall()
        select = checks.checked_select(questionnaire, [row[0] for row in header], run_id)
        if select is None:
            return None
        try:
            con.execute(f"INSERT INTO {questionnaire.table} {select}", [str(utf8)])
        except duckdb.Error as error:
            if REFUSED in str(error):
                return None
            raise
    summary = con.execute(checks.stored_summary(questionnaire.table, run_id)).fetchall()[0]
    records, responses, numbers, campaigns = summary
    if records == 0:
        raise InvalidFile([Issue(path.name, 2, "", _HEADER_ONLY)])
    if not checks.stored_rows_pass(records, responses, numbers):
        return None
    known = con.execute(
        "SELECT finess_et FROM establishments WHERE finess_et IN (SELECT unnest(?))", [numbers]
    ).fetchall()
    unregistered = set(numbers) - {row[0] for row in known}
    lines = first_lines(path, encoding, unregistered) if unregistered else {}
    issues = [
        checks.unregistered_warning(path, line, number)
        for number, line in sorted(lines.items(), key=lambda item: item[1])
    ]
    return records, records, issues, campaigns


def _write_detailed(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    questionnaire: Questionnaire,
    responses: Responses,
    run_id: int,
    skip_invalid: bool,
) -> Done:
    """Store what the detailed reader accepted: every record, or with `skip_invalid` the
    valid ones (the file is refused when none is valid)."""
    if responses.records == 0:
        raise InvalidFile([Issue(path.name, 2, "", _HEADER_ONLY)])
    rejected = responses.rejected
    if rejected and (not skip_invalid or rejected == responses.records):
        raise InvalidFile(errors(responses.issues))
    _insert(con, questionnaire, responses.rows, run_id)
    accepted = responses.records - rejected
    return responses.records, accepted, responses.issues, responses.campaigns


def _insert(con, questionnaire: Questionnaire, rows: pa.Table, run_id: int) -> None:
    con.register("esatis_new_rows", rows)
    try:
        con.execute(
            f"INSERT INTO {questionnaire.table} BY NAME "
            f"SELECT *, {int(run_id)} AS import_run_id FROM esatis_new_rows"
        )
    finally:
        con.unregister("esatis_new_rows")


def _scope(questionnaire: Questionnaire, campaigns: list[int], run_id: int) -> Scope:
    """The responses of the questionnaire for the campaigns of the file stored by earlier
    runs (the fast path stores its rows first and learns the file's campaigns from them)."""
    return Scope(
        questionnaire.table,
        f"campaign IN (SELECT unnest(?)) AND import_run_id <> {int(run_id)}",
        [campaigns],
        f"réponses e-Satis {questionnaire.code}, {values_label('campagne', campaigns)}",
    )


def _header(path: Path, learnt: dict) -> tuple[Encoding, Questionnaire, list[Issue]]:
    """The file's encoding, its questionnaire and the header's warnings. A file is first taken
    for UTF-8, the common case: DuckDB's reader then checks every byte as strictly as Python's
    decoder (overlong forms, surrogates…: tests/integration/test_esatis_fast_path.py) while it
    reads the file once; Python's detection, which tells where a bad byte is or recognises
    Windows-1252, runs only when reading as UTF-8 fails, before the detailed reader, or when
    the file has columns the reader skips."""
    encoding = learnt["encoding"] or utf8_encoding(path)
    try:
        questionnaire, warnings = checks.questionnaire_of(path, encoding)
    except UnicodeDecodeError:
        encoding = _verified(path, learnt)
        questionnaire, warnings = checks.questionnaire_of(path, encoding)
    if warnings and learnt["encoding"] is None:  # unknown columns: bytes DuckDB may not read
        encoding = _verified(path, learnt)
    return encoding, questionnaire, warnings


def _verified(path: Path, learnt: dict) -> Encoding:
    """detect_encoding's answer, kept for the next attempts (InvalidFile for a bad byte)."""
    if learnt["encoding"] is None:
        learnt["encoding"] = detect_encoding(path)
    return learnt["encoding"]
