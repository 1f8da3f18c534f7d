"""Fast path of the e-Satis import: a valid file, the common case, is parsed once into a
staging table of typed values, each record flagged on the same pass when one of its values
fails its check; duplicates are looked for on the typed values (responses of a campaign
imported before are dealt with by warehouse/replacement.py). Anything
else sends the file to the detailed path (esatis.py), which names every problem."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from hospiscope.sources.esatis.layout import Column, cast_expression, columns
from hospiscope.sources.esatis.questionnaires import Questionnaire
from hospiscope.sources.issues import InvalidFile
from hospiscope.sources.textfile import (
    Encoding,
)
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


def stage_typed(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    utf8: Path,
    encoding: Encoding,
    questionnaire: Questionnaire,
) -> bool:
    """Fast path: stage the typed values (columns named as in the file, plus `failing`, true
    when a value fails its check) and return True if no record fails or is a duplicate;
    otherwise drop them and return False."""
    names = staging_start(con, path, utf8, encoding)
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
    values = ", ".join(f'"{c.name}"' if _choices(c) else trimmed(c.name) for c in expected)
    failing = " OR ".join(
        [_fast_failing_sql(c) for c in expected] + [f"questionnaire <> '{questionnaire.code}'"]
    )
    try:
        with _in_lists_as_expressions(con):
            con.execute(
                f"""CREATE TEMP TABLE esatis_staging_typed AS SELECT {typed},
                coalesce({failing}, true) AS failing FROM (SELECT {values} FROM {READ_CSV})""",
                [str(utf8)],
            )
    except duckdb.Error:
        raise InvalidFile(structural_issues(path, encoding)) from None
    number_records(con, "esatis_staging_typed")
    # Equal texts give equal typed values: a duplicate in the file is found here too (typed
    # values may also merge texts, e.g. '2024' and '2024.0': the detailed path then decides).
    passes = con.execute("""SELECT NOT EXISTS (SELECT 1 FROM esatis_staging_typed WHERE failing)
        AND NOT EXISTS (SELECT 1 FROM esatis_staging_typed GROUP BY campagne, id_reponse
                        HAVING count(*) > 1)""")
    if passes.fetchall()[0][0]:
        return True
    drop_staging(con)
    return False


def typed_problems(con: duckdb.DuckDBPyConnection) -> Problems:
    """Problems of a file that passed the fast path's checks: only FINESS numbers are left."""
    rows = con.execute("SELECT count(*) FROM esatis_staging_typed").fetchall()[0][0]
    return Problems(rows, finess_problems(con))


def _fast_failing_sql(column: Column) -> str:
    """True when the value fails its check, or may fail it (one-character choices, below)."""
    choices = _choices(column)
    if choices is None:
        return failing_sql(column)
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
    with global_setting(
        con, "disabled_optimizers", ",".join(filter(None, [disabled, "in_clause"]))
    ):
        yield
