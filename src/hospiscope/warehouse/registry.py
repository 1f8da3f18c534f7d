"""Writing FINESS registry files into the warehouse (any supported layout)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.geo import geography
from hospiscope.sources.finess.layouts import detect_layout
from hospiscope.sources.finess.normalise import (
    POSITION_DROPPED,
    REGISTRY_COLUMNS,
    in_scope,
    normalise,
)
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.imports import Written

# An update keeps what the new file does not say (a GISCO file has no legal-entity number:
# importing it after an etalab extract must not erase the EJ numbers).
# An unknown legal status never replaces a known one.
_KEEP_KNOWN_STATUS = (
    "CASE WHEN EXCLUDED.legal_status = 'inconnu' THEN establishments.{0} ELSE EXCLUDED.{0} END"
)
_UPDATES = [
    f"{column} = "
    + (
        _KEEP_KNOWN_STATUS.format(column)
        if column.startswith("legal_status")
        else f"COALESCE(EXCLUDED.{column}, establishments.{column})"
    )
    for column in REGISTRY_COLUMNS
    if column != "finess_et"
]
_UPSERT = (
    "INSERT INTO establishments SELECT *, ? FROM new_establishments "
    "ON CONFLICT (finess_et) DO UPDATE SET "
    + ", ".join(_UPDATES)
    + ", import_run_id = EXCLUDED.import_run_id"
)


def registry_writer(path: Path, *, skip_invalid: bool = False, all_categories: bool = False):
    """A writer (see imports.run_import) for one registry file. Unless `all_categories`, only
    the establishments of the documented scope are kept (health establishments and army
    hospitals, see sources/finess/scope.py); the others are counted in the run's metadata
    (`hors_perimetre`)."""

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        layout = detect_layout(path)
        records, issues, metadata = layout.read(path)
        rejected = errors(issues)
        if rejected and (not skip_invalid or not records):
            raise InvalidFile(rejected)
        if not records:
            raise InvalidFile([Issue(path.name, 2, "", "aucun établissement dans le fichier")])
        rows, warnings = normalise(records, path.name, geography())
        if not all_categories:
            kept = [row for row in rows if in_scope(row)]
            warnings = _warnings_of(kept, records, warnings)
            metadata = {**metadata, "hors_perimetre": len(rows) - len(kept)}
            rows = kept
        dropped = sum(1 for w in warnings if w.reason.endswith(POSITION_DROPPED))
        if dropped:
            metadata = {**metadata, "positions_hors_departement": dropped}
        _upsert(con, rows, run_id)
        return Written(
            layout=layout.NAME,
            rows_read=len(records) + len({i.line for i in rejected}),
            rows_accepted=len(rows),
            issues=issues + warnings,
            encoding=encoding.label,
            metadata=metadata,
        )

    return write


def _warnings_of(kept: list[dict], records: list, warnings: list[Issue]) -> list[Issue]:
    """The warnings of the kept establishments: at their line, or at the line their position
    was read from (etalab `geolocalisation` lines)."""
    lines = {row["source_line"] for row in kept}
    position_lines = {r.finess_et: r.position_line for r in records if r.position_line}
    lines |= {position_lines.get(row["finess_et"]) for row in kept}
    return [w for w in warnings if w.line in lines]


def _upsert(con: duckdb.DuckDBPyConnection, rows: list[dict], run_id: int) -> None:
    table = pa.Table.from_pylist(rows, schema=_ARROW_SCHEMA)
    con.register("new_establishments", table)
    con.execute(_UPSERT, [run_id])
    con.unregister("new_establishments")


_ARROW_SCHEMA = pa.schema(
    [
        (
            column,
            pa.float64()
            if column in ("longitude", "latitude")
            else pa.date32()
            if column in ("opened_on", "updated_on")
            else pa.int32()
            if column == "source_line"
            else pa.string(),
        )
        for column in REGISTRY_COLUMNS
    ]
)
