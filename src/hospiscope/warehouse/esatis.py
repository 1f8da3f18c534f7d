"""Importing e-Satis response files (one questionnaire per file) into their warehouse tables.

The file is parsed by DuckDB into a text staging table (fast: a national campaign is over a
million lines), every value is checked with vectorised SQL, and only then cast and inserted.
Line numbers in messages are the physical lines of the file, computed with Python's csv
module (quoted comments may span several lines) only when there is something to report.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from hospiscope.progress import NoProgress, Progress
from hospiscope.sources.esatis.layout import Column, cast_expression, columns, on_column
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Questionnaire
from hospiscope.sources.finess.numbers import finess_problem
from hospiscope.sources.issues import WARNING, InvalidFile, Issue
from hospiscope.sources.textfile import Encoding, detect_encoding, open_text, utf8_copy
from hospiscope.warehouse.imports import Written


def esatis_writer(path: Path, *, skip_invalid: bool = False, progress: Progress | None = None):
    progress = progress or NoProgress()

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        questionnaire, header_issues = _questionnaire_of(path, encoding)
        progress.start(f"Lecture de {path.name}", total=3)
        with utf8_copy(path, encoding) as utf8:
            _stage(con, path, utf8, encoding)
        progress.advance()
        problems = _validate(con, questionnaire)
        if problems.rows == 0:
            raise InvalidFile(
                [Issue(path.name, 2, "", "aucune réponse : le fichier ne contient que l'en-tête")]
            )
        rejected = problems.rejected_rows()
        if rejected and (not skip_invalid or len(rejected) == problems.rows):
            raise InvalidFile(problems.issues(path, encoding, errors_only=True))
        progress.advance()
        _insert(con, questionnaire, run_id, sorted(rejected))
        issues = header_issues + problems.issues(path, encoding)
        _drop_staging(con)
        progress.advance()
        return Written(
            layout=f"esatis-{questionnaire.code}",
            rows_read=problems.rows,
            rows_accepted=problems.rows - len(rejected),
            issues=issues,
            encoding=encoding.label,
            metadata={"questionnaire": questionnaire.code},
        )

    return write


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
    missing = [c.name for c in expected if c.name not in names]
    if missing:
        raise InvalidFile([Issue(path.name, 1, name, "colonne manquante") for name in missing])
    known = {c.name for c in expected}
    extra = [
        Issue(path.name, 1, name, "colonne inconnue ignorée", WARNING)
        for name in header
        if name.strip().lstrip("\ufeff") not in known
    ]
    return best, extra


_READ_CSV = (
    "read_csv(?, delim = ';', header = true, all_varchar = true, quote = '\"', "
    "escape = '\"', strict_mode = true, null_padding = false)"
)


def _stage(con: duckdb.DuckDBPyConnection, path: Path, utf8: Path, encoding: Encoding) -> None:
    _drop_staging(con)
    try:
        names = [
            row[0]
            for row in con.execute(f"DESCRIBE SELECT * FROM {_READ_CSV}", [str(utf8)]).fetchall()
        ]
        trimmed = ", ".join(f'NULLIF(trim("{name}"), \'\') AS "{name}"' for name in names)
        con.execute(
            f"CREATE TEMP TABLE esatis_staging_raw AS SELECT {trimmed} FROM {_READ_CSV}",
            [str(utf8)],
        )
    except duckdb.Error:
        raise InvalidFile(_structural_issues(path, encoding)) from None
    # DuckDB keeps the file's order (preserve_insertion_order) and numbers the rows of a new
    # table consecutively from an offset (large inside a transaction): rowid − offset is the
    # record's rank in the file. Cheaper than row_number() OVER (), checked by the tests on a
    # 200 000-record file.
    con.execute("""CREATE TEMP VIEW esatis_staging AS SELECT rowid - (SELECT min(rowid)
                   FROM esatis_staging_raw) AS record, * FROM esatis_staging_raw""")


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS esatis_staging")
    con.execute("DROP TABLE IF EXISTS esatis_staging_raw")


def _structural_issues(path: Path, encoding: Encoding) -> list[Issue]:
    """Every record whose field count differs from the header's (or an unclosed quote)."""
    issues = []
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=";", strict=True)
        try:
            width = len(next(reader))
            start = reader.line_num + 1
            for record in reader:
                if len(record) != width:
                    issues.append(
                        Issue(
                            path.name,
                            start,
                            "",
                            f"{len(record)} champs au lieu "
                            f"de {width} (ligne tronquée ou séparateur incorrect)",
                        )
                    )
                start = reader.line_num + 1
        except csv.Error as error:
            issues.append(Issue(path.name, reader.line_num, "", f"guillemet non fermé : {error}"))
    return issues or [Issue(path.name, 1, "", "fichier CSV illisible")]


class _Problems:
    """Per-record problems found in the staging table, as (record, column, reason, severity)."""

    def __init__(self, rows: int, found: list[tuple[int, str, str, str]]):
        self.rows = rows
        self.found = found

    def rejected_rows(self) -> set[int]:
        return {record for record, _, _, severity in self.found if severity != WARNING}

    def issues(self, path: Path, encoding: Encoding, errors_only: bool = False) -> list[Issue]:
        wanted = [f for f in self.found if not errors_only or f[3] != WARNING]
        lines = _record_lines(path, {f[0] for f in wanted}, encoding)
        return [
            Issue(path.name, lines[record], column, reason, severity)
            for record, column, reason, severity in wanted
        ]


def _validate(con: duckdb.DuckDBPyConnection, questionnaire: Questionnaire) -> _Problems:
    checks = [_check_sql(column) for column in columns(questionnaire)]
    checks.append(f"""SELECT record, 'questionnaire', 'questionnaire « ' || questionnaire ||
        ' » dans un fichier {questionnaire.code}', 'erreur' FROM esatis_staging
        WHERE questionnaire <> '{questionnaire.code}'""")
    checks.append("""SELECT record, 'id_reponse', 'identifiant de réponse en double dans le
        fichier', 'erreur' FROM esatis_staging QUALIFY row_number() OVER (PARTITION BY
        campagne, id_reponse ORDER BY record) > 1""")
    checks.append(f"""SELECT s.record, 'id_reponse', 'réponse déjà importée (lot ' ||
        t.import_run_id || ')', 'erreur' FROM esatis_staging s JOIN {questionnaire.table} t
        ON t.response_id = s.id_reponse AND t.campaign = TRY_CAST(s.campagne AS INTEGER)""")
    found = con.execute(" UNION ALL ".join(checks)).fetchall()
    found += _finess_problems(con)
    rows = con.execute("SELECT count(*) FROM esatis_staging").fetchall()[0][0]
    return _Problems(rows, found)


def _check_sql(column: Column) -> str:
    name = f'"{column.name}"'
    failing = f"({name} IS NOT NULL AND NOT coalesce({on_column(column.check, column)}, false))"
    if column.required:
        failing = f"({name} IS NULL OR {failing})"
    reason = column.reason.replace("'", "''")
    return (
        f"SELECT record, '{column.name}', CASE WHEN {name} IS NULL THEN 'valeur obligatoire "
        f"absente' ELSE '{reason} : « ' || left({name}, 40) || ' »' END, 'erreur' "
        f"FROM esatis_staging WHERE {failing}"
    )


def _finess_problems(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str, str]]:
    """Check digits (in Python, on distinct numbers) and presence in the registry (warning,
    once per establishment: responses of an establishment missing from the registry are kept)."""
    numbers = con.execute("""SELECT s.finess, min(s.record), bool_or(e.finess_et IS NOT NULL)
        FROM esatis_staging s LEFT JOIN establishments e ON e.finess_et = s.finess
        WHERE regexp_full_match(s.finess, '(\\d{2}|2A|2B)\\d{7}') GROUP BY s.finess""").fetchall()
    invalid = [number for number, _, _ in numbers if finess_problem(number)]
    found = []
    if invalid:
        found += con.execute(
            """SELECT record, 'finess', 'clé de contrôle FINESS incorrecte : « '
            || finess || ' »', 'erreur' FROM esatis_staging WHERE finess IN (SELECT unnest(?))""",
            [invalid],
        ).fetchall()
    found += [
        (
            first,
            "finess",
            f"établissement {number} absent du registre : réponses "
            "conservées, sans région ni groupe de pairs",
            WARNING,
        )
        for number, first, known in numbers
        if not known and number not in invalid
    ]
    return found


def _record_lines(path: Path, records: set[int], encoding: Encoding) -> dict[int, int]:
    """Physical start line of the given records (record 0 follows the header)."""
    if not records:
        return {}
    lines, last = {}, max(records)
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader, None)
        start = reader.line_num + 1
        for record, _ in enumerate(reader):
            if record in records:
                lines[record] = start
            if record >= last:
                break
            start = reader.line_num + 1
    return lines


def _insert(
    con: duckdb.DuckDBPyConnection, questionnaire: Questionnaire, run_id: int, rejected: list[int]
) -> None:
    """Cast and insert every record but the rejected ones (--skip-invalid)."""
    targets = [c for c in columns(questionnaire) if c.target != "questionnaire"]
    casts = ", ".join(cast_expression(c) for c in targets)
    if not rejected:
        con.execute(
            f"INSERT INTO {questionnaire.table} SELECT {casts}, {int(run_id)} "
            "FROM esatis_staging_raw"
        )
        return
    con.execute(
        f"""INSERT INTO {questionnaire.table} SELECT {casts}, {int(run_id)}
        FROM esatis_staging WHERE record NOT IN (SELECT unnest(?))""",
        [rejected],
    )
