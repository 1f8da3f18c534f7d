"""Downloadable exports: each format read back (csv module, pandas, the workbook's XML,
pyarrow) with its values, types, separators, dates, provenance and formula neutralisation."""

import csv
import datetime as dt
import io
import re
import zipfile
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from hospiscope.results import exports_xlsx
from hospiscope.results.exports import FORMATS, UnknownFormat, export, filename

PROVENANCE = {
    "Source": "FINESS, ministère chargé de la santé",
    "Versions des méthodes": "IQSS_ISO v2",
    "Date d’extraction": "2026-12-03",
    "Licence": "Licence Ouverte / Etalab 2.0",
}
TABLE = pd.DataFrame(
    {
        "FINESS": ["010000024", "130000011", "2A0000017"],
        "Nom": ["Hôpital d’Ambérieu", '=HYPERLINK("http://x")', 'Clinique "du Lac", Annecy'],
        "Commentaire": ["-2+3", "@SUM(1)", "ligne 1\nligne 2"],
        "Valeur": [0.1, np.nan, -12.5],
        "Séjours": pd.array([1234, None, 7], dtype="Int64"),
        "Date": pd.to_datetime(["2024-01-31", None, "2023-12-01"]),
        "Ouvert": [True, False, True],
    }
)
SPREADSHEET_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def csv_rows(data: bytes, encoding: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline=""), delimiter=delimiter))


def test_formats_have_a_media_type_an_extension_and_a_french_label():
    assert list(FORMATS) == ["csv", "csv-excel", "xlsx", "parquet"]
    for code, export_format in FORMATS.items():
        assert export_format.code == code
        assert export_format.media_type and export_format.extension and export_format.label


def test_an_unknown_format_says_which_ones_exist():
    with pytest.raises(UnknownFormat, match="csv, csv-excel, xlsx, parquet") as raised:
        export(TABLE, "pdf", provenance=PROVENANCE)
    assert isinstance(raised.value, ValueError)
    assert "Format d’export inconnu : « pdf »" in str(raised.value)
    with pytest.raises(UnknownFormat):
        filename("résultats", "ods")


def test_csv_is_rfc_4180_utf8_with_iso_dates():
    data = export(TABLE, "csv", provenance=PROVENANCE)
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 4 and data.endswith(b"\r\n")  # CRLF after each record
    rows = csv_rows(data, "utf-8", ",")
    assert rows[0] == list(TABLE.columns)
    assert rows[1] == [
        "010000024",
        "Hôpital d’Ambérieu",
        "'-2+3",
        "0.1",
        "1234",
        "2024-01-31",
        "true",
    ]
    assert rows[2][3:6] == ["", "", ""]  # NaN, <NA>, NaT
    assert rows[3][1:4] == ['Clinique "du Lac", Annecy', "ligne 1\nligne 2", "-12.5"]


def test_csv_read_back_by_pandas_keeps_numbers_and_codes():
    back = pd.read_csv(io.BytesIO(export(TABLE, "csv", provenance={})), dtype={"FINESS": str})
    assert back["FINESS"].tolist() == TABLE["FINESS"].tolist()
    assert back["Valeur"].tolist()[::2] == [0.1, -12.5] and np.isnan(back["Valeur"][1])
    assert pd.to_datetime(back["Date"]).tolist()[::2] == TABLE["Date"].tolist()[::2]


def test_csv_for_french_excel():
    data = export(TABLE, "csv-excel", provenance=PROVENANCE)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert data.count(b"\r\n") == 4 and data.endswith(b"\r\n")
    rows = csv_rows(data, "utf-8-sig", ";")
    assert rows[0] == list(TABLE.columns)
    assert rows[1][3:7] == ["0,1", "1234", "31/01/2024", "VRAI"]
    assert rows[3][3] == "-12,5"
    assert rows[3][1] == 'Clinique "du Lac", Annecy'
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Valeur"].tolist()[::2] == [0.1, -12.5]


@pytest.mark.parametrize("fmt", ["csv", "csv-excel"])
def test_text_that_a_spreadsheet_would_run_is_neutralised_numbers_are_not(fmt):
    table = pd.DataFrame(
        {
            "texte": ["=1+1", "+33 1 23", "-x", "@a", "\tb", "\rc", "a=b", None],
            "nombre": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        }
    )
    separator = "," if fmt == "csv" else ";"
    rows = csv_rows(export(table, fmt, provenance={}), "utf-8-sig", separator)
    texts = [row[0] for row in rows[1:]]
    assert texts == ["'=1+1", "'+33 1 23", "'-x", "'@a", "'\tb", "'\rc", "a=b", ""]
    assert rows[1][1] in ("-1.5", "-1,5")


def test_infinite_numbers_are_empty_cells():
    table = pd.DataFrame({"v": [np.inf, -np.inf, 1.0]})
    assert csv_rows(export(table, "csv", provenance={}), "utf-8", ",")[1:] == [[""], [""], ["1.0"]]


def read_xlsx(data: bytes) -> dict:
    """{sheet name: {cell reference: (value, type, style index)}}, shared strings resolved."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = {name: archive.read(name) for name in archive.namelist()}
    strings = [
        "".join(node.itertext())
        for node in ElementTree.fromstring(xml["xl/sharedStrings.xml"]).iterfind(
            "m:si", SPREADSHEET_NS
        )
    ]
    sheets = ElementTree.fromstring(xml["xl/workbook.xml"]).iterfind(
        "m:sheets/m:sheet", SPREADSHEET_NS
    )
    workbook = {}
    for number, sheet in enumerate(sheets, start=1):
        root = ElementTree.fromstring(xml[f"xl/worksheets/sheet{number}.xml"])
        cells = {}
        for cell in root.iterfind(".//m:c", SPREADSHEET_NS):
            value = cell.findtext("m:v", namespaces=SPREADSHEET_NS)
            kind = cell.get("t", "n")
            cells[cell.get("r")] = (
                strings[int(value)] if kind == "s" else value,
                kind,
                cell.get("s"),
            )
        workbook[sheet.get("name")] = cells
    workbook["_xml"] = xml
    return workbook


def test_xlsx_stores_numbers_dates_and_booleans_as_such():
    book = read_xlsx(export(TABLE, "xlsx", provenance=PROVENANCE))
    cells = book["données"]
    assert [cells[f"{col}1"][0] for col in "ABCDEFG"] == list(TABLE.columns)
    assert cells["A2"] == ("010000024", "s", None)  # a code stays text (leading zero kept)
    assert cells["D2"][:2] == ("0.1", "n") and cells["D4"][:2] == ("-12.5", "n")
    assert cells["E2"][:2] == ("1234", "n")
    assert cells["F2"][0] == "45322"  # 31/01/2024 as an Excel serial date
    assert cells["G2"][:2] == ("1", "b") and cells["G3"][:2] == ("0", "b")
    assert "D3" not in cells and "E3" not in cells and "F3" not in cells  # empty cells
    styles = book["_xml"]["xl/styles.xml"].decode()
    date_format = re.search(r'numFmtId="(\d+)" formatCode="dd/mm/yyyy"', styles).group(1)
    xfs = re.search(r"<cellXfs[^>]*>(.*)</cellXfs>", styles).group(1)
    xf = re.findall(r"<xf [^>]*>", xfs)
    assert f'numFmtId="{date_format}"' in xf[int(cells["F2"][2])]


def test_xlsx_header_is_bold_and_frozen_with_fitted_widths():
    book = read_xlsx(export(TABLE, "xlsx", provenance=PROVENANCE))
    sheet = book["_xml"]["xl/worksheets/sheet1.xml"].decode()
    assert 'ySplit="1"' in sheet and 'state="frozen"' in sheet
    styles = book["_xml"]["xl/styles.xml"].decode()
    fonts = re.findall(r"<font>.*?</font>", re.search(r"<fonts[^>]*>(.*)</fonts>", styles).group(1))
    xf = re.findall(r"<xf [^>]*>", re.search(r"<cellXfs[^>]*>(.*)</cellXfs>", styles).group(1))
    header_font = int(re.search(r'fontId="(\d+)"', xf[int(book["données"]["A1"][2])]).group(1))
    assert "<b/>" in fonts[header_font]
    widths = [float(w) for w in re.findall(r'<col [^>]*width="([\d.]+)"', sheet)]
    assert len(widths) == 7 and all(6 < w <= 62 for w in widths)
    name_width = float(re.search(r'<col min="2" max="2" width="([\d.]+)"', sheet).group(1))
    assert name_width > len('Clinique "du Lac", Annecy')


def test_xlsx_neutralises_formulas_and_holds_none():
    book = read_xlsx(export(TABLE, "xlsx", provenance=PROVENANCE))
    cells = book["données"]
    assert cells["B3"][0] == '\'=HYPERLINK("http://x")'
    assert [cells["C2"][0], cells["C3"][0]] == ["'-2+3", "'@SUM(1)"]
    assert not any(b"<f>" in part or b"<hyperlink" in part for part in book["_xml"].values())


def test_xlsx_about_sheet_holds_the_provenance():
    book = read_xlsx(export(TABLE, "xlsx", provenance=PROVENANCE, sheet="Résultats"))
    assert list(book)[:2] == ["Résultats", "À propos"]
    about = book["À propos"]
    lines = {about[f"A{row}"][0]: about[f"B{row}"][0] for row in range(1, len(PROVENANCE) + 1)}
    assert lines == PROVENANCE


def test_xlsx_refuses_more_rows_than_excel_holds(monkeypatch):
    monkeypatch.setattr(exports_xlsx, "EXCEL_MAX_ROWS", 3)
    with pytest.raises(ValueError, match="Trop de lignes pour un classeur Excel"):
        export(TABLE, "xlsx", provenance=PROVENANCE)


def test_parquet_keeps_types_and_carries_the_provenance():
    table = pq.read_table(io.BytesIO(export(TABLE, "parquet", provenance=PROVENANCE)))
    metadata = table.schema.metadata
    for key, value in PROVENANCE.items():
        assert metadata[key.encode()] == value.encode()
    assert str(table.schema.field("Valeur").type) == "double"
    assert str(table.schema.field("Séjours").type) == "int64"
    assert str(table.schema.field("Date").type) == "date32[day]"
    assert str(table.schema.field("Ouvert").type) == "bool"
    back = table.to_pandas()
    assert back["Nom"][1] == '=HYPERLINK("http://x")'  # data, not a spreadsheet: unchanged
    assert back["FINESS"].tolist() == TABLE["FINESS"].tolist()
    assert back["Séjours"].isna().tolist() == [False, True, False]


def test_object_columns_of_dates_numbers_and_mixed_values():
    table = pd.DataFrame(
        {
            "jour": [dt.date(2024, 2, 29), None],
            "nombre": [1, 2.5],
            "mêlé": [1, "a"],
            "horodatage": pd.to_datetime(["2024-01-31 10:30", "2024-02-01 00:00"]),
        }
    )
    rows = csv_rows(export(table, "csv-excel", provenance={}), "utf-8-sig", ";")
    assert rows[1] == ["29/02/2024", "1,0", "1", "31/01/2024 10:30:00"]
    assert rows[2] == ["", "2,5", "a", "01/02/2024 00:00:00"]
    cells = read_xlsx(export(table, "xlsx", provenance={}))["données"]
    assert cells["A2"][:2] == ("45351", "n")
    assert cells["D2"][:2] == ("45322.4375", "n")
    parquet = pq.read_table(io.BytesIO(export(table, "parquet", provenance={}))).schema
    assert [str(parquet.field(name).type) for name in ("jour", "nombre", "mêlé")] == [
        "date32[day]",
        "double",
        "string",
    ]
    assert str(parquet.field("horodatage").type).startswith("timestamp")


def test_columns_select_rename_and_order():
    frame = pd.DataFrame({"value": [1.5], "finess": ["010000024"], "internal": ["x"]})
    data = export(frame, "csv", provenance={}, columns={"finess": "N° FINESS", "value": "Valeur"})
    assert csv_rows(data, "utf-8", ",") == [["N° FINESS", "Valeur"], ["010000024", "1.5"]]


def test_duplicate_headers_are_refused():
    frame = pd.DataFrame({"a": [1], "b": [2]})
    with pytest.raises(ValueError, match="Colonnes en double"):
        export(frame, "csv", provenance={}, columns={"a": "Valeur", "b": "Valeur"})


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_empty_table_exports(fmt):
    assert export(TABLE.iloc[:0], fmt, provenance=PROVENANCE)


@pytest.mark.parametrize(
    ("stem", "fmt", "expected"),
    [
        ("Résultats : Île-de-France", "csv", "resultats-ile-de-france.csv"),
        ("Résultats : Île-de-France", "csv-excel", "resultats-ile-de-france-excel.csv"),
        ("IQSS 2024 / ÉTABLISSEMENTS", "xlsx", "iqss-2024-etablissements.xlsx"),
        ("../../etc/passwd", "parquet", "etc-passwd.parquet"),
        ("***", "xlsx", "export.xlsx"),
    ],
)
def test_filenames_are_safe_ascii(stem, fmt, expected):
    assert filename(stem, fmt) == expected
