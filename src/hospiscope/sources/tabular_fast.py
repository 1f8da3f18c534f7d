"""What a valid tabular file satisfies, as the fast path checks it (one pass, the common case):
one SELECT, derived from the layout's column model (sources/columns/), that reads the file
with DuckDB, checks every value while typing it and raises REFUSED at the first record it
cannot vouch for; then the checks of whole records on what that SELECT stored (a key twice,
FINESS check digits). The warehouse runs these statements (warehouse/tabular.py) inside the
import's transaction; when anything fails, it rolls back and the line-by-line reader
(`tabular.read_table`), which names every problem, reads the file again.

The fast path accepts only what the line-by-line reader accepts and types it the same way;
anything else — a value to refuse or merely an unusual one (padded with a non-ASCII space, a
number written "1 234,0"), a line of the wrong length, a quote — is left to that reader. Both
paths are checked to store the same rows on every real-layout fixture, valid or broken
(tests/unit/sources/test_tabular_fast.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hospiscope.sources.columns import sql_failing, sql_typed
from hospiscope.sources.finess.numbers import finess_problem
from hospiscope.sources.tabular import Layout
from hospiscope.sources.textfile import READ_CSV, REFUSED

# Characters Python's str.strip() removes but DuckDB's trim() keeps: a value that starts or
# ends with one goes to the line-by-line reader (which strips them).
_OTHER_SPACE = (
    r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
)
_PADDED = f"^{_OTHER_SPACE}|{_OTHER_SPACE}$"


def checked_select(layout: Layout, header: list[str], stored: set[str], run_id: int) -> str | None:
    """SELECT of the typed values of the file (`?`: its path in UTF-8) named by the fields'
    targets that the table `stored` holds, `run_id` as `import_run_id`, raising REFUSED at the
    first record with a value to refuse; None when the header (as DuckDB reads it) lacks a
    field or names a column twice (the line-by-line reader then decides)."""
    names = {name.strip().lstrip("\ufeff"): name for name in header}
    if len(names) != len(header) or any(f.name not in names for f in layout.fields):
        return None
    trimmed = ", ".join(
        f'NULLIF(trim("{names[f.name]}"), \'\') AS "{f.target}"' for f in layout.fields
    )
    failing = " OR ".join(_failing(field) for field in layout.fields)
    typed = ", ".join(
        f"{sql_typed(f, f'{_q(f.target)}')} AS {_q(f.target)}"
        for f in layout.fields
        if f.target in stored
    )
    return f"""SELECT {typed}, {int(run_id)} AS import_run_id
        FROM (SELECT {trimmed} FROM {READ_CSV})
        WHERE CASE WHEN coalesce({failing}, true) THEN error('{REFUSED}') ELSE true END"""


def _failing(field) -> str:
    value = _q(field.target)
    padded = f"coalesce(regexp_matches({value}, '{_PADDED}'), false)"
    return f"({sql_failing(field, value)} OR {padded})"


def _q(name: str) -> str:
    return f'"{name}"'


def stored_summary(layout: Layout, table: str, run_id: int) -> str:
    """SQL over the rows the checked SELECT stored: (records, distinct keys, distinct FINESS
    numbers of the layout's FINESS columns)."""
    keys = ", ".join(_q(k) for k in layout.key)
    finess = [_q(f.target) for f in layout.fields if f.kind == "finess"]
    numbers = (
        "list_distinct(flatten([" + ", ".join(f"list(DISTINCT {c})" for c in finess) + "]))"
        if finess
        else "[]::VARCHAR[]"
    )
    return f"""SELECT count(*), count(DISTINCT ({keys})), {numbers}
        FROM {table} WHERE import_run_id = {int(run_id)}"""


def stored_rows_pass(records: int, distinct_keys: int, numbers: list[str]) -> bool:
    """True when the stored records hold no key twice and no wrong FINESS check digit (typed
    values may merge texts, '2024' and '02024': the line-by-line reader then decides)."""
    return distinct_keys == records and not any(map(finess_problem, numbers))


def plain_lines(path: Path) -> bool:
    """True when no line holds a quote, lines end with LF or CRLF, and every non-blank line
    has as many separators as the header: DuckDB tolerates a trailing separator that the
    line-by-line reader refuses as one field too many. Byte-level (`;`, `"`, CR and LF are the
    same bytes in UTF-8 and Windows-1252), vectorised."""
    data = np.frombuffer(path.read_bytes(), dtype=np.uint8)
    if data.size == 0 or np.any(data == ord('"')):
        return False
    returns = np.flatnonzero(data == ord("\r"))
    if np.any(returns == data.size - 1) or np.any(
        data[returns[returns < data.size - 1] + 1] != ord("\n")
    ):
        return False  # a lone carriage return ends a line for csv: let it read the file
    ends = np.flatnonzero(data == ord("\n"))
    ends = ends if ends.size and ends[-1] == data.size - 1 else np.append(ends, data.size)
    starts = np.concatenate([[0], ends[:-1] + 1])
    separators = np.concatenate([[0], np.cumsum(data == ord(";"))])
    per_line = separators[ends] - separators[starts]
    carriage = np.zeros(ends.size, dtype=bool)
    inside = ends < data.size
    carriage[inside] = data[np.maximum(ends[inside] - 1, 0)] == ord("\r")
    blank = (ends - starts - carriage) == 0
    return bool(np.all(blank[1:] | (per_line[1:] == per_line[0])))
