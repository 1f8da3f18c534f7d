"""The Excel workbook of an export (XlsxWriter): the table on a first sheet (bold frozen
header, filters, column widths fitted to the content, numbers and dates stored as such) and
the provenance on a second sheet « À propos »."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd
import xlsxwriter

from hospiscope.results.export_columns import ExportColumn, neutralise

EXCEL_MAX_ROWS = 1_048_576
ABOUT_SHEET = "À propos"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's (1900) date system
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_WIDTH_SAMPLE = 2_000  # rows looked at to size a number column
_FORMATS = {
    "header": {"bold": True},
    "date": {"num_format": "dd/mm/yyyy"},
    "datetime": {"num_format": "dd/mm/yyyy hh:mm"},
    "wrap": {"text_wrap": True, "valign": "top"},
}
_OPTIONS = {
    "in_memory": True,  # no temporary files
    # Text stays text: no formula, no hyperlink, no number guessed from a string.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def xlsx_bytes(columns: list[ExportColumn], provenance: Mapping[str, str], sheet: str) -> bytes:
    rows = len(columns[0].values) if columns else 0
    if rows + 1 > EXCEL_MAX_ROWS:
        raise ValueError(
            f"Trop de lignes pour un classeur Excel ({_french_count(rows)} ; au plus "
            f"{_french_count(EXCEL_MAX_ROWS - 1)}) : choisissez le format CSV ou Parquet."
        )
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, _OPTIONS) as book:
        formats = {name: book.add_format(spec) for name, spec in _FORMATS.items()}
        _write_table(book.add_worksheet(_sheet_name(sheet)), columns, rows, formats)
        _write_about(book.add_worksheet(ABOUT_SHEET), provenance, formats)
    return buffer.getvalue()


def _french_count(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # narrow no-break space: 1 048 575


def _sheet_name(name: str) -> str:
    # Excel forbids []:*?/\ in sheet names, and more than 31 characters.
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'")[:31]
    return cleaned if cleaned and cleaned.casefold() != ABOUT_SHEET.casefold() else "données"


def _write_table(sheet, columns: list[ExportColumn], rows: int, formats: dict) -> None:
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header, formats["header"])
        write, cell_format = _writer(sheet, column, formats)
        for row, value in enumerate(_cells(column), start=1):
            if value is not None:
                write(row, index, value, cell_format)
        sheet.set_column(index, index, _width(column))
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, rows, len(columns) - 1)


def _writer(sheet, column: ExportColumn, formats: dict):
    if column.kind in ("number", "integer"):
        return sheet.write_number, None
    if column.kind in ("date", "datetime"):
        return sheet.write_number, formats[column.kind]  # an Excel serial date
    if column.kind == "bool":
        return sheet.write_boolean, None
    return sheet.write_string, None


def _cells(column: ExportColumn) -> list:
    """The column's values as Python objects, None where the cell stays empty."""
    values = column.values
    if column.kind in ("date", "datetime"):
        values = (values - _EXCEL_EPOCH) / pd.Timedelta(days=1)
    elif column.kind == "integer":
        values = values.astype(float)  # Excel stores every number as a double anyway
    elif column.kind == "bool":
        return [None if pd.isna(v) else bool(v) for v in values.astype(object)]
    return values.astype(object).where(values.notna(), None).tolist()


def _width(column: ExportColumn) -> float:
    """Characters of the widest of the header and the values (a sample for numbers)."""
    values = column.values.dropna()
    if column.kind == "text":
        content = int(values.map(len).max()) if len(values) else 0
    elif column.kind in ("date", "datetime"):
        content = 10 if column.kind == "date" else 16
    else:
        content = max((len(str(v)) for v in values.head(_WIDTH_SAMPLE)), default=0)
    header = len(column.header) * 1.1  # bold
    return min(max(content, header, _MIN_WIDTH) + 2, _MAX_WIDTH)


def _write_about(sheet, provenance: Mapping[str, str], formats: dict) -> None:
    keys = [neutralise(str(key)) for key in provenance]
    values = [neutralise(str(value)) for value in provenance.values()]
    for row, (key, value) in enumerate(zip(keys, values, strict=True)):
        sheet.write_string(row, 0, key, formats["header"])
        sheet.write_string(row, 1, value, formats["wrap"])
    sheet.set_column(0, 0, min(max((len(k) for k in keys), default=10) * 1.1 + 2, 40))
    sheet.set_column(1, 1, min(max((len(v) for v in values), default=10) + 2, 100))
