"""What an e-Satis response file must satisfy, as the fast path checks it: the questionnaire
its header names, one SELECT that reads the file once and checks every value of every record
while typing it (derived from the column model, sources/columns/), and the checks of whole
records on what that SELECT stored (a response twice, FINESS check digits). The warehouse runs
these statements (warehouse/esatis.py); when anything fails, the detailed reader
(sources/esatis/detailed.py) reads the file again and names every problem."""

from __future__ import annotations

import csv
from pathlib import Path

from hospiscope.sources.columns import (
    SPACES,
    Column,
    finess_key_problem,
    sql_failing,
    sql_typed,
)
from hospiscope.sources.esatis.layout import columns, stored
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Questionnaire
from hospiscope.sources.issues import WARNING, InvalidFile, Issue, header_issues
from hospiscope.sources.textfile import READ_CSV, REFUSED, Encoding, open_text


def questionnaire_of(path: Path, encoding: Encoding) -> tuple[Questionnaire, list[Issue]]:
    """The questionnaire whose items the header names, and a warning per unknown column."""
    with open_text(path, encoding) as handle:
        header = next(csv.reader(handle, delimiter=";"), [])
    names = {name.strip().lstrip("\ufeff") for name in header}
    if len(names) <= 1:
        reason = "en-tête illisible : séparateur « ; » attendu et une ligne d'en-tête"
        raise InvalidFile([Issue(path.name, 1, "", reason)])
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


def checked_select(questionnaire: Questionnaire, header: list[str], run_id: int) -> str | None:
    """SELECT of the typed values of the file (`?`: its path in UTF-8) in the order of the
    questionnaire's table, `run_id` last, that raises REFUSED at the first record holding a
    value to refuse; None when DuckDB reads a header name differently (the detailed reader
    then decides)."""
    expected = columns(questionnaire)
    if not {c.name for c in expected} <= set(header):
        return None
    failing = " OR ".join(
        [_failing(c) for c in expected] + [f"questionnaire <> '{questionnaire.code}'"]
    )
    typed = ", ".join(sql_typed(c, f'"{c.name}"') for c in stored(questionnaire))
    return f"""SELECT {typed}, {int(run_id)} AS import_run_id FROM {READ_CSV}
        WHERE CASE WHEN coalesce({failing}, true) THEN error('{REFUSED}') ELSE true END"""


# Values are tested as read, neither trimmed nor emptied (both copy every value: a third of
# the statement's time on a national file; DuckDB reads an empty value as NULL). The formats
# of the other kinds refuse a space, and an empty or padded text fails _PADDED: the detailed
# reader, which trims, then decides.
_SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACES) + "]"
_PADDED = f"^{_SPACE}|{_SPACE}$"


def _failing(column: Column) -> str:
    name = f'"{column.name}"'
    failing = sql_failing(column, name)
    if column.kind == "text":
        padded = f"{name} = '' OR regexp_matches({name}, '{_PADDED}')"
        failing = f"({failing} OR coalesce({padded}, false))"
    return failing


def stored_summary(table: str, run_id: int) -> str:
    """SQL over the rows the checked SELECT stored: (records, distinct (campaign, response)
    pairs, distinct FINESS numbers, campaigns)."""
    return f"""SELECT count(*), count(DISTINCT (campaign, response_id)),
        list(DISTINCT finess_et), list(DISTINCT campaign ORDER BY campaign)
        FROM {table} WHERE import_run_id = {int(run_id)}"""


def stored_rows_pass(records: int, distinct_responses: int, numbers: list[str]) -> bool:
    """True when the stored records hold no response twice and no wrong FINESS check digit.
    Equal texts give equal typed values, so a duplicate in the file is found here; typed
    values may also merge texts ('2024', '02024'): the detailed reader then decides."""
    return distinct_responses == records and not any(map(finess_key_problem, numbers))


def unregistered_reason(number: str) -> str:
    """Why an establishment the registry lacks is warned about (once, at its first line)."""
    return (
        f"établissement {number} absent du registre : réponses "
        "conservées, sans région ni groupe de pairs"
    )


def unregistered_warning(path: Path, line: int, number: str) -> Issue:
    return Issue(path.name, line, "finess", unregistered_reason(number), WARNING)
