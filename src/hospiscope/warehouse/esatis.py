"""Importing e-Satis response files (one questionnaire per file) into their warehouse tables.

DuckDB parses the file (fast: a national campaign is over a million lines) and every value is
checked with vectorised SQL before anything is inserted. A valid file, the common case, is
parsed once into a staging table of typed values, each record flagged on the same pass when
one of its values fails its check; duplicates are looked for on the typed values and the rows
are inserted as they are. Responses of a campaign already imported from another file are
refused, or replace the earlier ones with `--remplace` (warehouse/replacement.py). When
anything fails, the file is staged again as text (detailed path) to report every problem with
its value. Line numbers in messages are the
physical lines of the file, computed with Python's csv module (quoted comments may span
several lines) only when there is something to report.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from hospiscope.progress import NoProgress, Progress
from hospiscope.sources.esatis.layout import Column, cast_expression, columns
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Questionnaire
from hospiscope.sources.issues import WARNING, InvalidFile, Issue, header_issues
from hospiscope.sources.textfile import (
    Encoding,
    detect_encoding,
    open_text,
    utf8_copy,
    utf8_encoding,
)
from hospiscope.warehouse.esatis_fast import stage_typed, typed_problems
from hospiscope.warehouse.esatis_staging import (
    READ_CSV,
    Problems,
    drop_staging,
    failing_sql,
    finess_problems,
    global_setting,
    number_records,
    staging_start,
    structural_issues,
    trimmed,
)
from hospiscope.warehouse.imports import Written
from hospiscope.warehouse.replacement import Scope, take_over, values_label


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

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = _encoding(con, path)
        questionnaire, header_issues = _questionnaire_of(path, encoding)
        progress.start(f"Lecture de {path.name}", total=3)
        with utf8_copy(path, encoding) as utf8:
            typed = stage_typed(con, path, utf8, encoding, questionnaire)
            if not typed:
                _stage(con, path, utf8, encoding)
        progress.advance()
        scope = _scope(con, questionnaire, typed)
        replaced = take_over(con, scope, run_id, path, replace=replace)
        problems = typed_problems(con) if typed else _validate(con, questionnaire)
        if problems.rows == 0:
            raise InvalidFile(
                [Issue(path.name, 2, "", "aucune réponse : le fichier ne contient que l'en-tête")]
            )
        rejected = problems.rejected_rows()
        if rejected and (not skip_invalid or len(rejected) == problems.rows):
            raise InvalidFile(problems.issues(path, encoding, errors_only=True))
        progress.advance()
        _insert(con, questionnaire, run_id, sorted(rejected), typed)
        issues = header_issues + problems.issues(path, encoding)
        drop_staging(con)
        progress.advance()
        return Written(
            layout=f"esatis-{questionnaire.code}",
            rows_read=problems.rows,
            rows_accepted=problems.rows - len(rejected),
            issues=issues,
            encoding=encoding.label,
            metadata={"questionnaire": questionnaire.code}
            | ({"remplace": replaced} if replaced else {}),
        )

    return write


def _scope(con: duckdb.DuckDBPyConnection, questionnaire: Questionnaire, typed: bool) -> Scope:
    """The stored responses of the questionnaire for the campaigns of the file."""
    campaign = "campagne" if typed else "TRY_CAST(campagne AS INTEGER)"
    found = con.execute(
        f"SELECT DISTINCT {campaign} AS c FROM esatis_staging WHERE c IS NOT NULL ORDER BY c"
    ).fetchall()
    campaigns = [row[0] for row in found]
    return Scope(
        questionnaire.table,
        "campaign IN (SELECT unnest(?))",
        [campaigns],
        f"réponses e-Satis {questionnaire.code}, {values_label('campagne', campaigns)}",
    )


def _encoding(con: duckdb.DuckDBPyConnection, path: Path) -> Encoding:
    """detect_encoding's answer. DuckDB checks the common case, a valid UTF-8 file, twice as
    fast as Python's decoder and as strictly (overlong forms, surrogates…); Python's detection,
    which tells where a bad byte is or recognises Windows-1252, runs only when DuckDB refuses."""
    try:
        # On a connection of its own: a failed query aborts its connection's transaction.
        with con.cursor() as own:
            read = own.execute(
                "SELECT filename, strlen(content) FROM read_text(?)", [str(path)]
            ).fetchall()
    except duckdb.Error:
        return detect_encoding(path)
    # read_text takes a glob pattern: `[` in a name can select another file.
    if [filename for filename, _ in read] != [str(path)]:
        return detect_encoding(path)
    return utf8_encoding(path)


def _questionnaire_of(path: Path, encoding: Encoding) -> tuple[Questionnaire, list[Issue]]:
    with open_text(path, encoding) as handle:
        header = next(csv.reader(handle, delimiter=";"), [])
    names = {name.strip().lstrip("\ufeff") for name in header}
    if len(names) <= 1:
        raise InvalidFile(
            [
                Issue(
                    path.name,
                    1,
                    "",
                    "en-tête illisible : séparateur « ; » attendu et une ligne d'en-tête",
                )
            ]
        )
    best = max(QUESTIONNAIRES.values(), key=lambda q: len(names & {i.code for i in q.items}))
    expected = columns(best)
    if any(c.name not in names for c in expected):
        found = [name.strip().lstrip("\ufeff") for name in header]
        raise InvalidFile(header_issues(path.name, [c.name for c in expected], found))
    known = {c.name for c in expected}
    extra = [
        Issue(path.name, 1, name, "colonne inconnue ignorée", WARNING)
        for name in header
        if name.strip().lstrip("\ufeff") not in known
    ]
    return best, extra


def _stage(con: duckdb.DuckDBPyConnection, path: Path, utf8: Path, encoding: Encoding) -> None:
    """Detailed path: every column as trimmed text, NULL when empty."""
    names = staging_start(con, path, utf8, encoding)
    values = ", ".join(trimmed(name) for name in names)
    try:
        con.execute(
            f"CREATE TEMP TABLE esatis_staging_raw AS SELECT {values} FROM {READ_CSV}",
            [str(utf8)],
        )
    except duckdb.Error:
        raise InvalidFile(structural_issues(path, encoding)) from None
    number_records(con, "esatis_staging_raw")


def _validate(con: duckdb.DuckDBPyConnection, questionnaire: Questionnaire) -> Problems:
    checks = [_check_sql(column) for column in columns(questionnaire)]
    checks.append(f"""SELECT record, 'questionnaire', 'questionnaire « ' || questionnaire ||
        ' » dans un fichier {questionnaire.code}', 'erreur' FROM esatis_staging
        WHERE questionnaire <> '{questionnaire.code}'""")
    checks.append("""SELECT record, 'id_reponse', 'identifiant de réponse en double dans le
        fichier', 'erreur' FROM esatis_staging QUALIFY row_number() OVER (PARTITION BY
        campagne, id_reponse ORDER BY record) > 1""")
    found = con.execute(" UNION ALL ".join(checks)).fetchall()
    found += finess_problems(con)
    rows = con.execute("SELECT count(*) FROM esatis_staging").fetchall()[0][0]
    return Problems(rows, found)


def _check_sql(column: Column) -> str:
    name = f'"{column.name}"'
    reason = column.reason.replace("'", "''")
    return (
        f"SELECT record, '{column.name}', CASE WHEN {name} IS NULL THEN 'valeur obligatoire "
        f"absente' ELSE '{reason} : « ' || left({name}, 40) || ' »' END, 'erreur' "
        f"FROM esatis_staging WHERE {failing_sql(column)}"
    )


def _insert(
    con: duckdb.DuckDBPyConnection,
    questionnaire: Questionnaire,
    run_id: int,
    rejected: list[int],
    typed: bool,
) -> None:
    """Insert every record but the rejected ones (--skip-invalid), cast unless already typed."""
    targets = [c for c in columns(questionnaire) if c.target != "questionnaire"]
    if typed:
        values, table = ", ".join(f'"{c.name}"' for c in targets), "esatis_staging_typed"
    else:
        values, table = ", ".join(cast_expression(c) for c in targets), "esatis_staging_raw"
    # The stored rows need not keep the file's order (records are numbered in the staging
    # table): inserting them in parallel, in any order, is a quarter faster on a national file.
    with global_setting(con, "preserve_insertion_order", "false"):
        if not rejected:
            con.execute(
                f"INSERT INTO {questionnaire.table} SELECT {values}, {int(run_id)} FROM {table}"
            )
            return
        con.execute(
            f"""INSERT INTO {questionnaire.table} SELECT {values}, {int(run_id)}
            FROM esatis_staging WHERE record NOT IN (SELECT unnest(?))""",
            [rejected],
        )
