"""The SQL an indicator runs, as its last computation compiled it: the warehouse keeps every
compiled method in `method_cache` (results/method_cache.py), written in the transaction that
stored the results, so the page shows what ran — read from the portal's copy, in a few
milliseconds, with no compilation on the request path.

A warehouse where the indicator was never computed has no entry (only published results, or
nothing computed yet): the page says so and points to the generated catalogue page, whose SQL
is compiled on an empty warehouse's schema (reports/catalogue_docs.py)."""

from __future__ import annotations

import re

import duckdb
from pydantic import BaseModel

# results/method_cache.py's names, repeated: importing it would load Ibis and the engines
# (tests/web/test_indicator_pages.py checks that they agree).
TABLE = "method_cache"
DERIVED_PREFIX = "derived:"


class SqlBlock(BaseModel):
    title: str  # French
    sql: str


class MethodSql(BaseModel):
    """The compiled method of an indicator, or why there is none (`missing`)."""

    blocks: list[SqlBlock]
    definition_hash: str | None
    compiled_at: str | None
    matches_results: bool | None  # the shown results were computed by this very method
    missing: str | None  # French: why no SQL is shown


def method_sql(con: duckdb.DuckDBPyConnection, code: str, result_hashes: set[str]) -> MethodSql:
    """`result_hashes`: definition hashes of the computed results the page shows."""
    try:
        rows = con.execute(
            f"SELECT entry, compute_sql, prepare_sql, definition_hash, compiled_at FROM {TABLE} "
            f"WHERE entry = ? OR starts_with(entry, '{DERIVED_PREFIX}')",
            [code],
        ).fetchall()
    except duckdb.CatalogException:  # no computation ever ran on this warehouse
        rows = []
    own = next((row for row in rows if row[0] == code), None)
    if own is None:
        return MethodSql(
            blocks=[],
            definition_hash=None,
            compiled_at=None,
            matches_results=None,
            missing=(
                "Cet indicateur n'a pas été calculé dans cet entrepôt : sa requête n'y est pas "
                f"enregistrée. Elle figure dans la page générée docs/catalogue/{code}.md."
            ),
        )
    _, compute, prepare, digest, compiled_at = own
    blocks = [SqlBlock(title="Calcul par établissement", sql=compute.strip())]
    if prepare:
        blocks.append(
            SqlBlock(
                title="Résumé national sur lequel le modèle d'ajustement est estimé",
                sql=prepare.strip(),
            )
        )
    text = compute + (prepare or "")
    for entry, derived, _, _, _ in sorted(rows):
        name = entry.removeprefix(DERIVED_PREFIX)
        if entry.startswith(DERIVED_PREFIX) and re.search(rf"\b{re.escape(name)}\b", text):
            blocks.append(SqlBlock(title=f"Table intermédiaire « {name} »", sql=derived.strip()))
    return MethodSql(
        blocks=blocks,
        definition_hash=digest,
        compiled_at=compiled_at.isoformat(timespec="seconds") if compiled_at else None,
        matches_results=(digest in result_hashes) if result_hashes else None,
        missing=None,
    )
