"""Importing e-Satis response files (one questionnaire per file) into their warehouse tables.

DuckDB parses the file (fast: a national campaign is over a million lines) and every value is
checked with vectorised SQL before anything is inserted. A valid file, the common case, is
parsed once into a staging table of typed values, each record flagged on the same pass when
one of its values fails its check; duplicates and earlier imports are looked for on the typed
values and the rows are inserted as they are. When anything fails, the file is staged again as
text (detailed path) to report every problem with its value. Line numbers in messages are the
physical lines of the file, computed with Python's csv module (quoted comments may span
several lines) only when there is something to report.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from hospiscope.progress import NoProgress, Progress
from hospiscope.sources.esatis.layout import Column, cast_expression, columns, on_column
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Questionnaire
from hospiscope.sources.finess.numbers import finess_problem
from hospiscope.sources.issues import WARNING, InvalidFile, Issue
from hospiscope.sources.textfile import (
    Encoding,
    detect_encoding,
    open_text,
    utf8_copy,
    utf8_encoding,
)
from hospiscope.warehouse.imports import Written


def esatis_writer(path: Path, *, skip_invalid: bool = False, progress: Progress | None = None):
    progress = progress or NoProgress()

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = _encoding(con, path)
        questionnaire, header_issues = _questionnaire_of(path, encoding)
        progress.start(f"Lecture de {path.name}", total=3)
        with utf8_copy(path, encoding) as utf8:
            typed = _stage_typed(con, path, utf8, encoding, questionnaire)
            if not typed:
                _stage(con, path, utf8, encoding)
        progress.advance()
        problems = _typed_problems(con) if typed else _validate(con, questionnaire)
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


def _staging_start(
    con: duckdb.DuckDBPyConnection, path: Path, utf8: Path, encoding: Encoding
) -> list[str]:
    """Drop any earlier staging and return the column names DuckDB reads in the file."""
    _drop_staging(con)
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {_READ_CSV}", [str(utf8)]).fetchall()
    except duckdb.Error:
        raise InvalidFile(_structural_issues(path, encoding)) from None
    return [row[0] for row in described]


def _trimmed(name: str) -> str:
    return f'NULLIF(trim("{name}"), \'\') AS "{name}"'


def _number_records(con: duckdb.DuckDBPyConnection, table: str) -> None:
    # DuckDB keeps the file's order (preserve_insertion_order) and numbers the rows of a new
    # table consecutively from an offset (large inside a transaction): rowid − offset is the
    # record's rank in the file. Cheaper than row_number() OVER (), checked by the tests on a
    # 200 000-record file.
    con.execute(f"""CREATE TEMP VIEW esatis_staging AS SELECT rowid - (SELECT min(rowid)
                   FROM {table}) AS record, * FROM {table}""")


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP VIEW IF EXISTS esatis_staging")
    con.execute("DROP TABLE IF EXISTS esatis_staging_raw")
    con.execute("DROP TABLE IF EXISTS esatis_staging_typed")


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


def _stage_typed(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    utf8: Path,
    encoding: Encoding,
    questionnaire: Questionnaire,
) -> bool:
    """Fast path: stage the typed values (columns named as in the file, plus `failing`, true
    when a value fails its check) and return True if no record fails, is a duplicate or was
    imported before; otherwise drop them and return False."""
    names = _staging_start(con, path, utf8, encoding)
    expected = columns(questionnaire)
    if not {c.name for c in expected} <= set(names):
        return False  # DuckDB names a header differently: the detailed path reports as before
    # The casts run before the records are known valid: TRY_CAST, so that a bad value cannot
    # abort the import's transaction. On valid values both casts give the same result.
    typed = ", ".join(
        f'{_try(cast_expression(c), c)} AS "{c.name}"'
        for c in expected
        if c.target != "questionnaire"
    )
    values = ", ".join(f'"{c.name}"' if _choices(c) else _trimmed(c.name) for c in expected)
    failing = " OR ".join(
        [_fast_failing_sql(c) for c in expected] + [f"questionnaire <> '{questionnaire.code}'"]
    )
    try:
        with _in_lists_as_expressions(con):
            con.execute(
                f"""CREATE TEMP TABLE esatis_staging_typed AS SELECT {typed},
                coalesce({failing}, true) AS failing FROM (SELECT {values} FROM {_READ_CSV})""",
                [str(utf8)],
            )
    except duckdb.Error:
        raise InvalidFile(_structural_issues(path, encoding)) from None
    _number_records(con, "esatis_staging_typed")
    # Equal texts give equal typed values: a duplicate in the file is found here too (typed
    # values may also merge texts, e.g. '2024' and '2024.0': the detailed path then decides).
    passes = con.execute(f"""SELECT NOT EXISTS (SELECT 1 FROM esatis_staging_typed WHERE failing)
        AND NOT EXISTS (SELECT 1 FROM esatis_staging_typed GROUP BY campagne, id_reponse
                        HAVING count(*) > 1)
        AND NOT EXISTS (SELECT 1 FROM esatis_staging_typed s JOIN {questionnaire.table} t
                        ON t.response_id = s.id_reponse AND t.campaign = s.campagne)""")
    if passes.fetchall()[0][0]:
        return True
    _drop_staging(con)
    return False


def _typed_problems(con: duckdb.DuckDBPyConnection) -> _Problems:
    """Problems of a file that passed the fast path's checks: only FINESS numbers are left."""
    rows = con.execute("SELECT count(*) FROM esatis_staging_typed").fetchall()[0][0]
    return _Problems(rows, _finess_problems(con))


def _fast_failing_sql(column: Column) -> str:
    """True when the value fails its check, or may fail it (one-character choices, below)."""
    choices = _choices(column)
    if choices is None:
        return _failing_sql(column)
    name = f'"{column.name}"'
    failing = f"({name} IS NOT NULL AND NOT (strlen({name}) = 1 AND contains('{choices}', {name})))"
    return f"({name} IS NULL OR {failing})" if column.required else failing


# Most values of a file are answers checked by `v IN ('1', '2', '3', '4', '9')`: for such
# one-character choices, the fast path tests the text as read, without trimming it, with
# `contains` (three times cheaper than trim and IN together). A padded answer fails this
# test and sends the file to the detailed path, which trims and decides exactly.
_ONE_CHARACTER_CHOICES = re.compile(r"v IN \(((?:'[^' ]', )*'[^' ]')\)")


def _choices(column: Column) -> str | None:
    """The choices of a check written `v IN ('a', 'b', …)` with one-character values."""
    match = _ONE_CHARACTER_CHOICES.fullmatch(column.check)
    return "".join(re.findall(r"'(.)'", match.group(1))) if match else None


def _try(cast: str, column: Column) -> str:
    # Only a cast of the text itself can fail. Other expressions are kept as they are: the
    # same expression in a check is then computed once (dates).
    return f"TRY_{cast}" if cast.startswith(f'CAST("{column.name}" AS ') else cast


@contextmanager
def _in_lists_as_expressions(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB plans an IN list of five constants or more as a join, after which CREATE TABLE AS
    no longer keeps the file's order (the record numbers): keep IN lists as expressions. A
    safeguard: today's long lists are one-character choices, which the fast path tests with
    `contains`."""
    disabled = con.execute("SELECT current_setting('disabled_optimizers')").fetchall()[0][0]
    with _global_setting(
        con, "disabled_optimizers", ",".join(filter(None, [disabled, "in_clause"]))
    ):
        yield


@contextmanager
def _global_setting(con: duckdb.DuckDBPyConnection, name: str, value: str) -> Iterator[None]:
    """DuckDB's setting `name` at `value` for the duration. Such settings are global to the
    database, so a cursor can restore them even when a statement failed and left the import's
    transaction aborted."""
    with con.cursor() as own:
        previous = own.execute("SELECT current_setting(?)::VARCHAR", [name]).fetchall()[0][0]
        own.execute(f"SET {name} = '{value}'")
        try:
            yield
        finally:
            own.execute(f"SET {name} = '{previous}'")


def _stage(con: duckdb.DuckDBPyConnection, path: Path, utf8: Path, encoding: Encoding) -> None:
    """Detailed path: every column as trimmed text, NULL when empty."""
    names = _staging_start(con, path, utf8, encoding)
    trimmed = ", ".join(_trimmed(name) for name in names)
    try:
        con.execute(
            f"CREATE TEMP TABLE esatis_staging_raw AS SELECT {trimmed} FROM {_READ_CSV}",
            [str(utf8)],
        )
    except duckdb.Error:
        raise InvalidFile(_structural_issues(path, encoding)) from None
    _number_records(con, "esatis_staging_raw")


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


def _failing_sql(column: Column) -> str:
    name = f'"{column.name}"'
    failing = f"({name} IS NOT NULL AND NOT coalesce({on_column(column.check, column)}, false))"
    if column.required:
        failing = f"({name} IS NULL OR {failing})"
    return failing


def _check_sql(column: Column) -> str:
    name = f'"{column.name}"'
    reason = column.reason.replace("'", "''")
    return (
        f"SELECT record, '{column.name}', CASE WHEN {name} IS NULL THEN 'valeur obligatoire "
        f"absente' ELSE '{reason} : « ' || left({name}, 40) || ' »' END, 'erreur' "
        f"FROM esatis_staging WHERE {_failing_sql(column)}"
    )


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
    with _global_setting(con, "preserve_insertion_order", "false"):
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
