"""Which of the three BQSS files a file is, from its header (never from its name).

The files are comma-separated CSV in UTF-8 (`;` is accepted too); the establishment file is
also published as Parquet. Column names are matched without regard to case and order."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hospiscope.sources.bqss.types import MISSING, VALUE_COLUMNS
from hospiscope.sources.issues import InvalidFile, Issue
from hospiscope.sources.textfile import Encoding, detect_encoding, open_text

VALUES = "valeurs"
METADATA = "metadonnees"
ESTABLISHMENTS = "etablissements"
# Required columns of each file, in the order HAS writes them.
REQUIRED = {
    VALUES: ("annee", "finess", "finess_type", "key", *VALUE_COLUMNS),
    METADATA: ("name", "title", "description", "type", "source"),
    ESTABLISHMENTS: ("num_finess_et", "num_finess_ej", "raison_sociale_et"),
}
OPTIONAL = {VALUES: (MISSING,), METADATA: (), ESTABLISHMENTS: ()}
LABELS = {
    VALUES: "valeurs BQSS",
    METADATA: "métadonnées BQSS",
    ESTABLISHMENTS: "établissements BQSS",
}
# The columns HAS writes, in its order (the demo writes them so).
VALUES_HEADER = (
    "annee",
    "finess",
    "finess_type",
    "key",
    "value_boolean",
    "value_string",
    "value_integer",
    "value_float",
    MISSING,
    "value_date",
)
METADATA_HEADER = (
    *REQUIRED[METADATA],
    "indicateur",
    "secteur",
    "theme",
    "acronyme",
    "version",
    "variable",
    "annee",
    "ancienne_variable",
    "url_rapport",
    "type_metier",
    "finess_type",
)
# Import order when several files are given: types and names before the values.
ORDER = (METADATA, ESTABLISHMENTS, VALUES)


@dataclass(frozen=True)
class Detected:
    kind: str  # VALUES | METADATA | ESTABLISHMENTS
    header: tuple[str, ...]  # lower-cased column names, in file order
    delimiter: str | None  # None for Parquet
    encoding: Encoding | None


def detect(path: Path) -> Detected:
    """The kind of BQSS file `path` is, or InvalidFile naming what is missing."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        header = tuple(name.lower() for name in pq.read_schema(path).names)
        return _kind(path, header, None, None)
    encoding = detect_encoding(path)
    with open_text(path, encoding) as handle:
        first = handle.readline().lstrip("\ufeff").rstrip("\r\n")
    if not first.strip():
        raise InvalidFile([Issue(path.name, 1, "", "fichier vide : en-tête attendu")])
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = tuple(next(csv.reader([first], delimiter=delimiter)))
    return _kind(path, tuple(h.strip().lower() for h in header), delimiter, encoding)


def _kind(path: Path, header: tuple[str, ...], delimiter, encoding) -> Detected:
    best, missing = VALUES, None
    for kind, required in REQUIRED.items():
        absent = [name for name in required if name not in header]
        if not absent:
            return Detected(kind, header, delimiter, encoding)
        if missing is None or len(absent) < len(missing):
            best, missing = kind, absent
    if len(missing) == len(REQUIRED[best]):
        reason = (
            "en-tête non reconnu : ni valeurs (annee, finess, finess_type, key, value_…), "
            "ni métadonnées (name, title, description, type, source), ni établissements "
            "(num_finess_et, num_finess_ej, raison_sociale_et)"
        )
        raise InvalidFile([Issue(path.name, 1, "", reason)])
    issues = [Issue(path.name, 1, name, f"colonne manquante ({LABELS[best]})") for name in missing]
    if best == VALUES:  # the values file has a fixed set of columns
        known = REQUIRED[VALUES] + OPTIONAL[VALUES]
        issues += [Issue(path.name, 1, h, "colonne inattendue") for h in header if h not in known]
    raise InvalidFile(issues)


def rows(path: Path, detected: Detected) -> Iterator[tuple[int, dict[str, str] | None, int]]:
    """(physical line, cells by lower-cased column or None when the field count is wrong,
    field count) for every non-blank line after the header."""
    if detected.delimiter is None:
        yield from _parquet_rows(path, detected)
        return
    with open_text(path, detected.encoding) as handle:
        reader = csv.reader(handle, delimiter=detected.delimiter)
        next(reader, None)
        start = 2
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(detected.header):
                yield line, None, len(cells)
                continue
            yield line, dict(zip(detected.header, (c.strip() for c in cells), strict=True)), 0


def _parquet_rows(path: Path, detected: Detected):
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    names = [name.lower() for name in table.column_names]
    for index, record in enumerate(table.to_pylist(), start=1):
        values = {
            n: "" if v is None else str(v) for n, v in zip(names, record.values(), strict=True)
        }
        yield index, values, 0


def import_order(paths: list[Path]) -> list[Path]:
    """Metadata first (it gives the key types), then establishments, then values; a file whose
    kind cannot be read keeps its place after them, so that its error is still reported."""

    def rank(path: Path) -> int:
        try:
            return ORDER.index(detect(path).kind)
        except (InvalidFile, OSError):
            return len(ORDER)

    return sorted(paths, key=rank)
