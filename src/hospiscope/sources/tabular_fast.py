"""Fast path of `tabular.read_table` for the common case, a valid file: DuckDB parses it and
checks every value with vectorised SQL (about ten times faster than reading lines in Python on
a national audit file). It accepts only what the line-by-line reader accepts and converts it
the same way; anything else — a value to refuse or merely an unusual one (padded with a
non-ASCII space, a number written "1 234,0"), a duplicate key, a line of the wrong length —
returns None and the line-by-line reader, which names every problem, takes over. Both paths
are checked to give the same rows on every real-layout fixture, valid or broken."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from hospiscope.sources.columns import Column, sql_accepts, sql_typed
from hospiscope.sources.columns.spreadsheet import DISTINCT_KINDS, typed_distinct
from hospiscope.sources.tabular import Layout
from hospiscope.sources.textfile import READ_CSV, Encoding, utf8_copy

# Characters Python's str.strip() removes but DuckDB's trim() keeps: a value that starts or
# ends with one goes to the line-by-line reader (which strips them).
_OTHER_SPACE = (
    r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
)
_PADDED = f"^{_OTHER_SPACE}|{_OTHER_SPACE}$"


def read_table_fast(path: Path, layout: Layout, encoding: Encoding) -> pa.Table | None:
    """The typed rows of a valid file as an Arrow table (columns named by the fields' targets),
    or None when the line-by-line reader must decide."""
    if not _plain_lines(path):
        return None
    with utf8_copy(path, encoding) as utf8, duckdb.connect() as con:
        try:
            names = [
                row[0]
                for row in con.execute(f"DESCRIBE SELECT * FROM {READ_CSV}", [str(utf8)]).fetchall()
            ]
        except duckdb.Error:
            return None
        header = {name.strip().lstrip("\ufeff"): name for name in names}
        if len(header) != len(names) or any(f.name not in header for f in layout.fields):
            return None
        values = ", ".join(
            f'NULLIF(trim("{header[f.name]}"), \'\') AS "{f.target}"' for f in layout.fields
        )
        try:
            con.execute(
                f"CREATE TABLE raw AS SELECT {values}, "
                f"{_suspect(layout)} AS suspect FROM {READ_CSV}",
                [str(utf8)],
            )
        except duckdb.Error:
            return None
        if _any(con, "SELECT 1 FROM raw WHERE suspect"):
            return None
        typed = _typed_select(con, layout)
        if typed is None:
            return None
        con.execute(f"CREATE TABLE typed AS {typed}")
        keys = ", ".join(f'"{k}"' for k in layout.key)
        if _any(con, f"SELECT 1 FROM typed GROUP BY {keys} HAVING count(*) > 1"):
            return None
        return con.sql("SELECT * FROM typed").to_arrow_table()


def _plain_lines(path: Path) -> bool:
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


def _any(con: duckdb.DuckDBPyConnection, query: str) -> bool:
    return bool(con.execute(f"SELECT EXISTS ({query})").fetchall()[0][0])


def _suspect(layout: Layout) -> str:
    """SQL true for a record the fast path cannot vouch for."""
    checks = []
    for field in layout.fields:
        value = f'"{field.target}"'
        if field.required:
            checks.append(f"{value} IS NULL")
        checks.append(f"regexp_matches({value}, '{_PADDED}')")
        if check := sql_accepts(field, value):
            checks.append(f"({value} IS NOT NULL AND NOT ({check}))")
    return "coalesce(" + " OR ".join(checks) + ", false)"


def _typed_select(con: duckdb.DuckDBPyConnection, layout: Layout) -> str | None:
    """The query that types `raw`, or None when a FINESS number or a date would be refused
    (checked in Python, once per distinct value, by the detailed reader's own conversion)."""
    typed, joins = [], []
    for index, field in enumerate(layout.fields):
        value = f'raw."{field.target}"'
        if field.kind in DISTINCT_KINDS:
            mapping = _mapped(con, field)
            if mapping is None:
                return None
            con.register(f"map_{index}", mapping)
            joins.append(f"LEFT JOIN map_{index} ON map_{index}.raw = {value}")
            value = f"map_{index}.typed"
        else:
            value = sql_typed(field, value)
        typed.append(f'{value} AS "{field.target}"')
    return f"SELECT {', '.join(typed)} FROM raw {' '.join(joins)}"


def _mapped(con: duckdb.DuckDBPyConnection, field: Column) -> pa.Table | None:
    distinct = [
        row[0]
        for row in con.execute(
            f'SELECT DISTINCT "{field.target}" FROM raw WHERE "{field.target}" IS NOT NULL'
        ).fetchall()
    ]
    typed = typed_distinct(field, distinct)
    if typed is None:
        return None
    kind = pa.date32() if field.sql_type == "DATE" else pa.string()
    return pa.table({"raw": pa.array(distinct, pa.string()), "typed": pa.array(typed, kind)})
