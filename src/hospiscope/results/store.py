"""Storing and reading results.

Results are keyed by (indicator, method version, period, level, entity). Computing again
replaces the results *of the same method version* only; results of earlier method versions
stay as they were published. A computation whose definition changed while its method version
did not is refused: a method change must be a new version, never a silent rewrite.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from hospiscope import __version__
from hospiscope.results.selection import origin_filter

# The columns are declared once, with the table (compute.py takes STORED_COLUMNS from here).
from hospiscope.warehouse.results_schema import STORED_COLUMNS, insert_results_sql


class SilentMethodChange(RuntimeError):
    """The computation of an indicator changed but its method version did not."""


def check_definitions(
    con: duckdb.DuckDBPyConnection, methods: list[tuple[str, str, str]]
) -> None:
    """Refuse a run whose (indicator, method version) already has computed results under
    another fingerprint of the same scheme: a silent method change. One query for the whole
    run (one per indicator cost more than most computations)."""
    from hospiscope.results.fingerprint import comparable  # Ibis: only when computing

    if not methods:
        return
    stored: dict[tuple[str, str], set[str]] = {}
    rows = con.execute(
        "SELECT DISTINCT indicator_code, method_version, definition_hash FROM results "
        "WHERE origin = 'calcul' AND list_contains(?, indicator_code)",
        [sorted({code for code, _, _ in methods})],
    ).fetchall()
    for code, version, stored_hash in rows:
        stored.setdefault((code, version), set()).add(stored_hash)
    for code, version, definition_hash in methods:
        same_scheme = {h for h in stored.get((code, version), ()) if comparable(h, definition_hash)}
        if same_scheme and definition_hash not in same_scheme:
            raise SilentMethodChange(
                f"la définition de {code} a changé alors que sa version de méthode ({version}) "
                "est la même : les résultats publiés ne sont pas réécrits. Donnez une nouvelle "
                "version de méthode (method_version) à la définition modifiée."
            )


def start_computation(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT nextval('computation_ids')").fetchall()[0][0]


def record_computation(
    con: duckdb.DuckDBPyConnection,
    computation_id: int,
    engine: str,
    codes: list[str],
    started: dt.datetime,
    duration: float,
) -> None:
    con.execute(
        "INSERT INTO computation_runs VALUES (?, ?, ?, ?, ?, ?, ?, "
        "(SELECT coalesce(list(run_id ORDER BY run_id), []) FROM import_runs))",
        [
            computation_id,
            engine,
            codes,
            started,
            started + dt.timedelta(seconds=duration),
            duration,
            __version__,
        ],
    )


def replace_results(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Replace stored results of the same (indicator, method version, period) by `frame`."""
    keys = frame[["indicator_code", "method_version", "period"]].drop_duplicates()
    con.register("new_result_keys", keys)
    con.execute("""DELETE FROM results WHERE (indicator_code, method_version, period) IN
                   (SELECT (indicator_code, method_version, period) FROM new_result_keys)""")
    con.unregister("new_result_keys")
    con.register("new_results", frame[list(STORED_COLUMNS)])
    con.execute(insert_results_sql("new_results"))
    con.unregister("new_results")


def read_results(
    con: duckdb.DuckDBPyConnection,
    *,
    indicator: str | None = None,
    period: str | None = None,
    entity_kind: str | None = None,
    entity_id: str | None = None,
    campaign: int | None = None,
    all_versions: bool = False,
    origin: str | None = None,
    indicators: list[str] | None = None,
    entity_kinds: list[str] | None = None,
) -> pd.DataFrame:
    """Stored results of a source (results.selection: by default the computed results, and
    the published ones for an indicator and campaign that has none; "calcul", "publie" or
    "tout" on request), latest method version per (origin, indicator, period) unless
    `all_versions`.

    `method_changed` is true where an earlier method version exists for the same indicator and
    period: the value is not comparable with what was published before under that version.
    A `campaign` selects its year and the season ending with it ("2023-2024" for 2024).
    """
    where, params = result_filters(
        indicator=indicator,
        period=period,
        entity_kind=entity_kind,
        entity_id=entity_id,
        campaign=campaign,
        indicators=indicators,
        entity_kinds=entity_kinds,
    )
    return con.execute(results_sql(where, origin, all_versions), params).df()


def results_sql(where: str = "TRUE", origin: str | None = None, all_versions: bool = False) -> str:
    """The SELECT of `read_results` for a condition on `results` aliased `r` (the portal
    materialises it once per state of the warehouse: web/store.py)."""
    latest = "" if all_versions else "WHERE method_version = latest_version"
    return f"""
        WITH selected AS (SELECT * FROM results r WHERE {where} AND {origin_filter(origin)}),
        versions AS (
            SELECT origin, indicator_code, period, count(DISTINCT method_version) AS versions,
                   arg_max(method_version,
                           coalesce(TRY_CAST(string_split(method_version, '.') AS INTEGER[]), [0]))
                       AS latest_version
            FROM results SEMI JOIN (SELECT DISTINCT origin, indicator_code, period FROM selected)
                USING (origin, indicator_code, period)
            GROUP BY ALL)
        SELECT s.*, v.versions > 1 AS method_changed
        FROM selected s JOIN versions v USING (origin, indicator_code, period)
        {latest}
        ORDER BY indicator_code, period, entity_kind, entity_id, origin"""


def result_filters(
    *,
    indicator: str | None = None,
    period: str | None = None,
    entity_kind: str | None = None,
    entity_id: str | None = None,
    campaign: int | None = None,
    indicators: list[str] | None = None,
    entity_kinds: list[str] | None = None,
) -> tuple[str, list]:
    """A SQL condition on `results` (aliased `r`) and its parameters."""
    filters, params = ["TRUE"], []
    for column, values in (("indicator_code", indicators), ("entity_kind", entity_kinds)):
        if values is not None:
            filters.append(f"list_contains(?, r.{column})")
            params.append(list(values))
    if campaign is not None:
        filters.append("(r.period = ? OR r.period LIKE ?)")
        params += [str(campaign), f"%-{campaign}"]
    for column, value in (
        ("indicator_code", indicator),
        ("period", period),
        ("entity_kind", entity_kind),
        ("entity_id", entity_id),
    ):
        if value is not None:
            filters.append(f"r.{column} = ?")
            params.append(value)
    return " AND ".join(filters), params
