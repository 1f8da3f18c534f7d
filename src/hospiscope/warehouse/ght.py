"""Writing a GHT composition file (sources/ght.py) into `ght_members`.

A composition is a whole: each import replaces the previous one entirely, in the import's
transaction (the replaced import is recorded in `replaced_imports`, so that its file can be
imported again later to bring it back). A refused file leaves the previous composition as it
was. Every row carries the origin of the composition (`import`, or `hypothese_demo` for the
composition the demo supposes), whose French wording `sources.ght.origin_label` gives."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from hospiscope.sources.ght import IMPORTED, LAYOUT, ORIGIN_LABELS, origin_label, read_ght
from hospiscope.sources.ght_registry import Registry, check_against_registry
from hospiscope.sources.issues import InvalidFile, Issue, errors
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.imports import Written
from hospiscope.warehouse.replacement import Scope, take_over

TABLE = "ght_members"
COLUMNS = (
    "ght_code",
    "ght_name",
    "support_finess_et",
    "finess_ej",
    "finess_et",
    "origin",
    "import_run",
)


def ght_writer(path: Path, *, origin: str = IMPORTED, skip_invalid: bool = False):
    """A writer (see imports.run_import) of one composition file."""
    if origin not in ORIGIN_LABELS:
        raise ValueError(f"origin {origin!r} is not one of {', '.join(ORIGIN_LABELS)}")

    def write(con: duckdb.DuckDBPyConnection, run_id: int) -> Written:
        encoding = detect_encoding(path)
        members, issues = read_ght(path, encoding)
        checked = check_against_registry(_registry(con), path.name, members)
        issues = sorted(issues + checked.issues)
        rejected = errors(issues)
        if rejected and (not skip_invalid or not checked.rows):
            raise InvalidFile(rejected)
        if not checked.rows:
            raise InvalidFile(
                [Issue(path.name, 2, "", f"aucune ligne de données ({LAYOUT.label})")]
            )
        replaced = take_over(con, _whole_composition(), run_id, path, replace=True)
        _insert(con, checked.rows, origin, run_id)
        metadata = {
            "ght": len({row["ght_code"] for row in checked.rows}),
            "membres": len(checked.rows),
            "origine": origin,
            "origine_libelle": origin_label(origin),
        }
        if replaced:
            metadata["remplace"] = replaced
        if checked.absent:
            metadata["absents_du_registre"] = sorted(checked.absent)
            if not con.execute("SELECT count(*) FROM establishments").fetchall()[0][0]:
                metadata["registre_vide"] = True
        return Written(
            layout=LAYOUT.name,
            rows_read=len(checked.rows) + len({i.line for i in rejected}),
            rows_accepted=len(checked.rows),
            issues=issues,
            encoding=encoding.label,
            metadata=metadata,
        )

    return write


def _registry(con: duckdb.DuckDBPyConnection) -> Registry:
    """The registry's ETs and EJs; an EJ's ETs by decreasing beds (all activities, latest
    capacity year), then by number: the first is the support when the file names the EJ."""
    rows = con.execute(
        """SELECT e.finess_et, e.finess_ej
        FROM establishments e LEFT JOIN (
            SELECT finess_et, arg_max(coalesce(beds_mco, 0) + coalesce(beds_smr, 0)
                + coalesce(beds_psy, 0) + coalesce(beds_sld, 0), year) AS beds
            FROM capacity GROUP BY finess_et) c USING (finess_et)
        ORDER BY coalesce(c.beds, 0) DESC, e.finess_et"""
    ).fetchall()
    return Registry.from_rows(rows)


def _whole_composition() -> Scope:
    """Every stored row: a new composition replaces the previous one whole."""
    return Scope(TABLE, "true", [], LAYOUT.label, runs="import_run")


def _insert(con: duckdb.DuckDBPyConnection, rows: list[dict], origin: str, run_id: int) -> None:
    table = pa.table(
        {
            **{name: pa.array([row[name] for row in rows], pa.string()) for name in COLUMNS[:5]},
            "origin": pa.array([origin] * len(rows), pa.string()),
            "import_run": pa.array([run_id] * len(rows), pa.int32()),
        }
    )
    con.register("new_ght_members", table)
    try:
        con.execute(f"INSERT INTO {TABLE} BY NAME SELECT * FROM new_ght_members")
    finally:
        con.unregister("new_ght_members")


def composition_origin(con: duckdb.DuckDBPyConnection) -> str | None:
    """The origin of the stored composition (None: none stored, or a warehouse created before
    the table existed and opened read-only)."""
    try:
        row = con.execute(f"SELECT min(origin) FROM {TABLE}").fetchall()[0]
    except duckdb.CatalogException:
        return None
    return row[0]
