"""FINESS numbers that imported data or results refer to but that the registry
(`establishments`) does not hold: an army hospital before its category was in scope, an
establishment opened after the registry extract, a typing error in a source file.

Their rows are kept (a quality file is never cut to fit the registry); this module finds them,
so that every import reports them and every output that counts establishments counts them
under "absent du registre FINESS importé" instead of losing them.

Data tables are found by their columns: every (non-temporary) table with a `finess_et` and an
`import_run_id` column holds rows written by an import and referring to establishments, so a
new source family is covered as soon as its table follows that convention. Results refer to
establishments by `entity_id` where `entity_kind = 'etablissement'`.
"""

from __future__ import annotations

from typing import Any

import duckdb

# Label of the group under which outputs count establishments absent from the registry.
UNREGISTERED_LABEL = "absent du registre FINESS importé"

# Tables keyed by FINESS that no import fills from a source file: the registry itself, the
# peer groups derived from it, the user's own peer lists (validated against it).
_NOT_DATA = ("establishments", "peer_groups", "peer_list_members")


def data_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Warehouse tables holding imported rows that refer to establishments."""
    rows = con.execute(
        """
        SELECT c.table_name FROM duckdb_columns() c
        JOIN duckdb_tables() t USING (database_oid, schema_oid, table_oid)
        WHERE NOT t.temporary AND c.column_name IN ('finess_et', 'import_run_id')
        GROUP BY c.table_name HAVING count(DISTINCT c.column_name) = 2
        ORDER BY c.table_name
        """
    ).fetchall()
    return [name for (name,) in rows if name not in _NOT_DATA]


def unregistered_finess(
    con: duckdb.DuckDBPyConnection, *, run_id: int | None = None
) -> list[str]:
    """FINESS numbers (sorted) referred to by imported data or by establishment results but
    absent from the registry; with `run_id`, only those of that import run."""
    parts = []
    for table in data_tables(con):
        where = f"WHERE import_run_id = {int(run_id)}" if run_id is not None else ""
        parts.append(f'SELECT finess_et FROM "{table}" {where}')
    runs = f" AND list_contains(import_runs, {int(run_id)})" if run_id is not None else ""
    parts.append(
        f"SELECT entity_id AS finess_et FROM results WHERE entity_kind = 'etablissement'{runs}"
    )
    query = (
        f"SELECT DISTINCT finess_et FROM ({' UNION ALL '.join(parts)}) "
        "WHERE finess_et NOT IN (SELECT finess_et FROM establishments) ORDER BY finess_et"
    )
    return [finess for (finess,) in con.execute(query).fetchall()]


def note_unregistered(
    con: duckdb.DuckDBPyConnection, run_id: int, metadata: dict[str, Any]
) -> None:
    """Record in an import run's metadata the establishments it refers to that the registry
    lacks (called inside the import transaction, after the writer; see imports.run_import)."""
    found = unregistered_finess(con, run_id=run_id)
    if not found:
        return
    metadata["absents_du_registre"] = found
    if not con.execute("SELECT count(*) FROM establishments").fetchall()[0][0]:
        metadata["registre_vide"] = True


def unregistered_message(metadata: dict[str, Any], shown: int = 10) -> str | None:
    """The French sentence an import outcome shows about them, or None."""
    found = metadata.get("absents_du_registre") or []
    if not found:
        return None
    count = len(found)
    listed = ", ".join(found[:shown]) + (f", … (+{count - shown})" if count > shown else "")
    noun = "établissement absent" if count == 1 else "établissements absents"
    text = f"{count} {noun} du registre FINESS importé : {listed}"
    if metadata.get("registre_vide"):
        return text + " (aucun registre importé : lancez `hospiscope import registry`)."
    return text + f" (lignes gardées, comptées « {UNREGISTERED_LABEL} »)."
