"""Writing a warehouse's computed results in HAS's BQSS open-data layout (values, metadata and
establishment files), for the mapped keys of catalogue/bqss_mapping.yaml: the demo can then be
read back as HAS would publish it (demo → compute → BQSS files → import → bilan, same class
counts; tests/integration/test_bqss_roundtrip.py)."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from hospiscope.results.store import read_results
from hospiscope.sources.bqss.layout import METADATA_HEADER, VALUES_HEADER
from hospiscope.sources.bqss.mapping import KeyMapping, Mapping
from hospiscope.sources.bqss.types import COLUMNS_OF_TYPE, format_value

ESTABLISHMENT_HEADER = (
    "num_finess_et",
    "num_finess_ej",
    "raison_sociale_et",
    "commune",
    "departement",
    "categorie_et",
    "libelle_categorie_et",
    "categorie_agregat_et",
    "libelle_categorie_agregat_et",
    "latitude",
    "longitude",
)
# Metadata `source` of the keys, by indicator family (the real file's eight sources).
SOURCES = {
    "ESATIS": "IQSS questionnaire patient",
    "AUDIT": "IQSS dossier patient",
    "ICSHA": "IQSS questionnaire établissement",
    "CERT": "Certification v2021",
}


@dataclass(frozen=True)
class BqssFiles:
    values: Path
    metadata: Path
    establishments: Path


def write_bqss_files(
    con: duckdb.DuckDBPyConnection, directory: Path, mapping: Mapping
) -> BqssFiles:
    """The three files of the computed establishment results of the mapped indicators."""
    directory.mkdir(parents=True, exist_ok=True)
    indicators = sorted({k.indicator for k in mapping.keys.values()})
    results = read_results(
        con, origin="calcul", indicators=indicators, entity_kinds=["etablissement"]
    )
    by_indicator: dict[str, list[KeyMapping]] = {}
    for key in mapping.keys.values():
        by_indicator.setdefault(key.indicator, []).append(key)
    lines = [
        line
        for row in results.to_dict("records")
        for key in by_indicator[row["indicator_code"]]
        if (line := _value_line(row, key, mapping)) is not None
    ]
    files = BqssFiles(
        directory / "bqss-valeurs.csv",
        directory / "bqss-metadonnees.csv",
        directory / "bqss-etablissements.csv",
    )
    _write(files.values, VALUES_HEADER, lines)
    _write(files.metadata, METADATA_HEADER, [_metadata_line(k) for k in mapping.keys.values()])
    _write(files.establishments, ESTABLISHMENT_HEADER, _establishments(con, results))
    return files


def _value_line(row: dict, key: KeyMapping, mapping: Mapping) -> list[str] | None:
    value = _part(row, key, mapping)
    year = int(str(row["period"])[-4:])
    cells = dict.fromkeys(VALUES_HEADER, "")
    cells.update(annee=str(year), finess=row["entity_id"], finess_type="geo", key=key.key)
    if value is None:
        status = row["status"] if isinstance(row["status"], str) else None
        if status is None or key.field in ("decision", "decision_date"):
            return None
        cells["missing_value"] = mapping.label_of_status(status) or status
    else:
        column = COLUMNS_OF_TYPE[key.type][0]
        cells[column] = format_value(column, value)
    return [cells[name] for name in VALUES_HEADER]


def _part(row: dict, key: KeyMapping, mapping: Mapping):
    """The value the key gives of a stored result (None when the result has none)."""
    if key.field == "decision":
        codes = {d.klass: d.code for d in mapping.decisions.values()}
        return codes.get(row["class"])
    if key.field == "decision_date":
        details = json.loads(row["details"]) if isinstance(row["details"], str) else {}
        return details.get("date_decision")
    value = row[key.field]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _metadata_line(key: KeyMapping) -> list[str]:
    cells = dict.fromkeys(METADATA_HEADER, "")
    source = next((s for prefix, s in SOURCES.items() if key.indicator.startswith(prefix)), "")
    cells.update(name=key.key, title=key.label, type=key.type, source=source, finess_type="mixte")
    return [cells[name] for name in METADATA_HEADER]


def _establishments(con: duckdb.DuckDBPyConnection, results: pd.DataFrame) -> list[list[str]]:
    con.register("bqss_demo_finess", pd.DataFrame({"finess": results["entity_id"].unique()}))
    rows = con.execute("""
        SELECT finess_et, finess_ej, name, right(commune_code, 3), department_code,
               category_code, category_label, category_group_code, category_group_label,
               latitude, longitude
        FROM establishments WHERE finess_et IN (SELECT finess FROM bqss_demo_finess)
        ORDER BY finess_et""").fetchall()
    con.unregister("bqss_demo_finess")
    return [["" if v is None else str(v) for v in row] for row in rows]


def _write(path: Path, header, lines: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(lines)
