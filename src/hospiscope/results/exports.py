"""Downloadable tables: one frame (columns in their declared order, French headers) written
as CSV, CSV for French Excel, an Excel workbook or Parquet.

Values come from imported files (establishment names…), so a text cell that a spreadsheet
would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'` in the CSV
and Excel outputs (OWASP "CSV injection"); Parquet is a data format and keeps values as they
are. Missing values (None, NaN, NaT, ±inf) are empty cells. The workbook writer is in
`exports_xlsx.py`; the column typing both share is in `export_columns.py`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from hospiscope.results.export_columns import ExportColumn, export_columns
from hospiscope.results.exports_xlsx import xlsx_bytes


@dataclass(frozen=True)
class ExportFormat:
    code: str
    media_type: str
    extension: str
    label: str  # shown to users
    filename_suffix: str = ""  # tells two files with the same extension apart


FORMATS: dict[str, ExportFormat] = {
    f.code: f
    for f in (
        ExportFormat("csv", "text/csv; charset=utf-8", "csv", "CSV (virgule, point décimal)"),
        ExportFormat(
            "csv-excel",
            "text/csv; charset=utf-8",
            "csv",
            "CSV pour Excel (point-virgule, virgule décimale)",
            filename_suffix="-excel",
        ),
        ExportFormat(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            "Classeur Excel (.xlsx)",
        ),
        ExportFormat("parquet", "application/vnd.apache.parquet", "parquet", "Parquet"),
    )
}


class UnknownFormat(ValueError):
    def __init__(self, code: str):
        self.code = code
        choices = ", ".join(FORMATS)
        super().__init__(f"Format d’export inconnu : « {code} ». Formats possibles : {choices}.")


@dataclass(frozen=True)
class _CsvDialect:
    separator: str
    decimal: str
    encoding: str
    date: str
    datetime: str
    true: str
    false: str


_CSV_DIALECTS = {
    "csv": _CsvDialect(",", ".", "utf-8", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "true", "false"),
    # French Excel: `;` and decimal comma are what it expects when it opens a .csv; the BOM
    # makes it read UTF-8 (otherwise accents come out as Windows-1252 mojibake).
    "csv-excel": _CsvDialect(
        ";", ",", "utf-8-sig", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "VRAI", "FAUX"
    ),
}


_ARROW_TYPES = {"text": pa.string(), "integer": pa.int64(), "number": pa.float64()}


def export_format(code: str) -> ExportFormat:
    """The format called `code`, or UnknownFormat (a French message listing the choices)."""
    try:
        return FORMATS[code]
    except KeyError:
        raise UnknownFormat(code) from None


def export(
    frame: pd.DataFrame,
    fmt: str,
    *,
    provenance: Mapping[str, str],
    columns: Mapping[str, str] | None = None,
    sheet: str = "données",
) -> bytes:
    """The table as the bytes of a file in format `fmt` (a key of FORMATS).

    `columns` (optional) maps the frame's column names to the headers to publish, in the
    order to publish them; without it every column is written under its own name.
    `provenance` (source, method versions, extraction date, licence…) goes into the
    workbook's « À propos » sheet and the Parquet schema metadata; a CSV has no place for it,
    so the caller publishes it beside the file."""
    export_format(fmt)
    table = _published(frame, columns)
    if fmt == "parquet":
        return _parquet_bytes(export_columns(table, neutralised=False), provenance)
    typed = export_columns(table, neutralised=True)
    if fmt == "xlsx":
        return xlsx_bytes(typed, provenance, sheet)
    return _csv_bytes(typed, _CSV_DIALECTS[fmt])


def filename(stem: str, fmt: str) -> str:
    """A safe ASCII file name: 'Résultats : Île-de-France' → 'resultats-ile-de-france.csv'."""
    chosen = export_format(fmt)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")[:80].strip("-")
    return f"{safe or 'export'}{chosen.filename_suffix}.{chosen.extension}"


def _published(frame: pd.DataFrame, columns: Mapping[str, str] | None) -> pd.DataFrame:
    table = (
        frame if columns is None else frame[list(columns)].set_axis(list(columns.values()), axis=1)
    )
    headers = [str(name) for name in table.columns]
    duplicates = sorted({h for h in headers if headers.count(h) > 1})
    if duplicates:
        raise ValueError(f"Colonnes en double dans l’export : {', '.join(duplicates)}.")
    return table.set_axis(headers, axis=1).reset_index(drop=True)


def _csv_bytes(typed: list[ExportColumn], dialect: _CsvDialect) -> bytes:
    text = pd.DataFrame(
        {column.header: _csv_values(column, dialect) for column in typed}, copy=False
    )
    buffer = io.StringIO()
    text.to_csv(
        buffer,
        sep=dialect.separator,
        decimal=dialect.decimal,
        na_rep="",
        index=False,
        lineterminator="\r\n",  # RFC 4180 (and what Excel writes)
        quoting=csv.QUOTE_MINIMAL,
    )
    return buffer.getvalue().encode(dialect.encoding)


def _csv_values(column: ExportColumn, dialect: _CsvDialect) -> pd.Series:
    """The column as pandas should write it: numbers stay numbers (pandas applies the decimal
    separator), dates and booleans become the dialect's text."""
    values = column.values
    if column.kind in ("date", "datetime"):
        pattern = dialect.date if column.kind == "date" else dialect.datetime
        return values.dt.strftime(pattern)
    if column.kind == "bool":
        return values.map({True: dialect.true, False: dialect.false}).astype(object)
    return values


def _parquet_bytes(typed: list[ExportColumn], provenance: Mapping[str, str]) -> bytes:
    arrow = pa.table({column.header: _arrow_array(column) for column in typed})
    metadata = {key.encode(): value.encode() for key, value in provenance.items()}
    buffer = io.BytesIO()
    pq.write_table(arrow.replace_schema_metadata(metadata), buffer)
    return buffer.getvalue()


def _arrow_array(column: ExportColumn) -> pa.Array:
    """The column with the Arrow type of its kind (dates as dates, missing values as nulls)."""
    array = pa.array(column.values, type=_ARROW_TYPES.get(column.kind), from_pandas=True)
    return array.cast(pa.date32()) if column.kind == "date" else array
