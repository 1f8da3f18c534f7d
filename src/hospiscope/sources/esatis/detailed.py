"""The detailed reader of an e-Satis response file, for when the fast path found something to
report. DuckDB (a connection of its own: a reader never touches the warehouse) reads the file
as trimmed text, numbered records, and the column model's SQL checks find the values that may
be refused; the column model's Python checks then decide on each of them and name the problem
in French. Whole-record checks follow (a response twice, the questionnaire of another file,
FINESS check digits, establishments the registry lacks), then the physical lines of what is
reported. The typed rows of the valid records come back for `--skip-invalid`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.sources.columns import (
    FORMATS,
    finess_key_problem,
    reader,
    sql_failing,
    sql_typed,
)
from hospiscope.sources.esatis.checks import unregistered_reason
from hospiscope.sources.esatis.layout import columns, stored
from hospiscope.sources.esatis.lines import record_lines, structural_issues
from hospiscope.sources.esatis.questionnaires import Questionnaire
from hospiscope.sources.issues import ERROR, WARNING, InvalidFile, Issue
from hospiscope.sources.textfile import READ_CSV, Encoding, utf8_copy

Found = tuple[int, str, str, str]  # record, column, reason, severity


@dataclass
class Responses:
    rows: pa.Table  # the valid records, typed, columns named as in the questionnaire's table
    records: int
    campaigns: list[int]  # every campaign the file names, valid records or not
    issues: list[Issue]  # errors and warnings, in line order

    @property
    def rejected(self) -> int:
        return len({issue.line for issue in self.issues if issue.severity != WARNING})


def read_responses(
    path: Path, encoding: Encoding, questionnaire: Questionnaire, registry: set[str]
) -> Responses:
    """Check every record of the file; `registry`: the FINESS numbers the registry holds (the
    others are warned about once, at their first line)."""
    with utf8_copy(path, encoding) as utf8, duckdb.connect() as con:
        _stage(con, path, utf8, encoding, questionnaire)
        found = _value_problems(con, questionnaire) + _record_problems(con, questionnaire)
        found += _finess_problems(con, registry)
        rejected = sorted({record for record, _, _, severity in found if severity == ERROR})
        con.execute("CREATE TABLE rejected AS SELECT unnest(?::BIGINT[]) AS record", [rejected])
        typed = ", ".join(
            f'{sql_typed(c, _quoted(c.name))} AS "{c.target}"' for c in stored(questionnaire)
        )
        rows = con.sql(
            f"SELECT {typed} FROM staging WHERE rowid NOT IN (SELECT record FROM rejected) "
            "ORDER BY rowid"
        ).to_arrow_table()
        records = con.execute("SELECT count(*) FROM staging").fetchall()[0][0]
        campaigns = [row[0] for row in con.execute(_CAMPAIGNS).fetchall()]
    lines = record_lines(path, {record for record, *_ in found}, encoding)
    issues = [
        Issue(path.name, lines[record], column, reason, severity)
        for record, column, reason, severity in sorted(found)
    ]
    return Responses(rows, records, campaigns, issues)


_CAMPAIGNS = f"""SELECT DISTINCT CAST(campagne AS BIGINT) AS c FROM staging
    WHERE regexp_full_match(campagne, '{FORMATS["integer"]}') ORDER BY c"""


def _stage(con, path: Path, utf8: Path, encoding: Encoding, questionnaire: Questionnaire):
    """Every column of the questionnaire as trimmed text (NULL when empty); rowid is the
    record's rank in the file (a fresh table keeps the file's order)."""
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {READ_CSV}", [str(utf8)]).fetchall()
    except duckdb.Error:
        raise InvalidFile(structural_issues(path, encoding)) from None
    # DuckDB keeps a header as written: the names are matched once trimmed, as they were
    # checked (checks.questionnaire_of).
    header = {row[0].strip().lstrip("\ufeff"): row[0] for row in described}
    values = ", ".join(
        f'NULLIF(trim("{header[c.name]}"), \'\') AS "{c.name}"' for c in columns(questionnaire)
    )
    try:
        con.execute(f"CREATE TABLE staging AS SELECT {values} FROM {READ_CSV}", [str(utf8)])
    except duckdb.Error:
        raise InvalidFile(structural_issues(path, encoding)) from None


def _value_problems(con, questionnaire: Questionnaire) -> list[Found]:
    """The values the SQL checks flag, each decided and named by the Python check."""
    expected = columns(questionnaire)
    flagged = " UNION ALL ".join(
        f"SELECT rowid, {index}, {_quoted(c.name)} FROM staging "
        f"WHERE {sql_failing(c, _quoted(c.name))}"
        for index, c in enumerate(expected)
    )
    readers = [reader(c) for c in expected]
    found = []
    for record, index, text in con.execute(flagged).fetchall():
        _, problem = readers[index](text)
        if problem is not None:
            found.append((record, expected[index].name, problem, ERROR))
    return found


def _record_problems(con, questionnaire: Questionnaire) -> list[Found]:
    """Another questionnaire's records; a response given twice (the later ones refused)."""
    code = questionnaire.code
    return con.execute(
        f"""SELECT rowid, 'questionnaire', 'questionnaire « ' || questionnaire
            || ' » dans un fichier {code}', '{ERROR}' FROM staging
            WHERE questionnaire <> '{code}'
        UNION ALL
        SELECT rowid, 'id_reponse', 'identifiant de réponse en double dans le fichier',
            '{ERROR}' FROM staging
            QUALIFY row_number() OVER (PARTITION BY campagne, id_reponse ORDER BY rowid) > 1"""
    ).fetchall()


def _finess_problems(con, registry: set[str]) -> list[Found]:
    """Check digits (in Python, once per distinct number of the right format) and presence in
    the registry (a warning, once per establishment: its responses are kept)."""
    numbers = con.execute(
        f"""SELECT finess, min(rowid) FROM staging
        WHERE regexp_full_match(finess, '{FORMATS["finess"]}') GROUP BY finess"""
    ).fetchall()
    invalid = {number: finess_key_problem(number) for number, _ in numbers}
    invalid = {number: problem for number, problem in invalid.items() if problem}
    found: list[Found] = []
    if invalid:
        found += [
            (record, "finess", invalid[number], ERROR)
            for record, number in con.execute(
                "SELECT rowid, finess FROM staging WHERE finess IN (SELECT unnest(?))",
                [list(invalid)],
            ).fetchall()
        ]
    return found + [
        (first, "finess", unregistered_reason(number), WARNING)
        for number, first in numbers
        if number not in registry and number not in invalid
    ]


def _quoted(name: str) -> str:
    return f'"{name}"'
