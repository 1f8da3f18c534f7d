"""From an indicator's per-establishment table to every level it is published at.

An engine runs the indicator's own computation (`base_expression`: one row per
establishment and period, or a few); the levels are then pooled here, the same way for
every engine and for the reference implementation. Aggregates pool numerators,
denominators and every other sufficient statistic (`stat_*` columns) over the
establishments of the group — the rate of a region is Σ numerators / Σ denominators, not a
mean of rates. Establishments absent from the registry count in the national figure only.

Two implementations of the same pooling: `aggregate_levels` (pandas: the reference, and the
engines that run Ibis expressions — Polars, Spark — whose per-establishment table is small)
and `pooled_sql` (DuckDB: the indicator's compiled SQL wrapped so that every level is pooled
in the same query, without a round trip of the per-establishment table through pandas).
tests/unit/engines/test_pooled_sql.py holds them equal on every indicator. A computation run
on DuckDB leaves the registry levels out of each indicator's query and pools them for all
indicators at once (`registry_pool_sql`, engines/registry_pool.py;
tests/unit/engines/test_registry_pool.py holds both ways identical).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from hospiscope.catalogue.meta import UNKNOWN
from hospiscope.catalogue.model import Indicator

KEY_COLUMNS = ("entity_kind", "entity_id", "period")
RESULT_COLUMNS = (*KEY_COLUMNS, "numerator", "denominator")  # without `stat_*` columns
STAT_PREFIX = "stat_"
_REGISTRY_COLUMNS = {
    "region": "region_code",
    "departement": "department_code",
    "statut": "legal_status",
}


def level_inputs(indicator: Indicator) -> list[str]:
    """Tables needed to compute the indicator at all its levels (warehouse or derived)."""
    names = list(indicator.meta.inputs)
    if any(level != "etablissement" for level in indicator.meta.levels):
        names.append("establishments")
    if any(level.startswith("strate:") for level in indicator.meta.levels):
        names.append("peer_groups")
    return list(dict.fromkeys(names))


def value_columns(columns) -> list[str]:
    """The summable columns: numerator, denominator, then the `stat_*` ones."""
    return ["numerator", "denominator"] + [c for c in columns if c.startswith(STAT_PREFIX)]


def base_expression(indicator: Indicator, tables: dict[str, ir.Table]) -> ir.Table:
    """The indicator's own computation, with uniform key and value types."""
    raw = indicator.compute(tables)
    values = {name: raw[name].cast("float64") for name in value_columns(raw.columns)}
    return raw.select(
        entity_id=raw.entity_id.cast("string"), period=raw.period.cast("string"), **values
    )


@dataclass
class LevelGroups:
    """The registry's groupings — the group of each establishment, per level — read once per
    run (stratifications are exclusive: an establishment is in one group of each)."""

    establishments: pd.DataFrame | None = None
    peer_groups: pd.DataFrame | None = None
    _cache: dict[str, pd.Series] = field(default_factory=dict, repr=False)

    def of(self, level: str) -> pd.Series:
        """group_id indexed by finess_et."""
        if level not in self._cache:
            self._cache[level] = self._build(level)
        return self._cache[level]

    def _build(self, level: str) -> pd.Series:
        if level.startswith("strate:"):
            peers = self._required(self.peer_groups, "peer_groups")
            peers = peers[peers["stratification"] == level.removeprefix("strate:")]
            return pd.Series(
                peers["group_code"].astype(str).to_numpy(),
                index=peers["finess_et"].astype(str).to_numpy(),
            )
        registry = self._required(self.establishments, "establishments")
        return pd.Series(
            registry[_REGISTRY_COLUMNS[level]].fillna(UNKNOWN).astype(str).to_numpy(),
            index=registry["finess_et"].astype(str).to_numpy(),
        )

    @staticmethod
    def _required(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
        if frame is None:
            raise ValueError(f"the table {name} is needed to aggregate this level")
        return frame


GROUPS_TABLE = "hospiscope_level_groups"  # temporary, one per engine connection


def registry_levels(indicator: Indicator) -> list[str]:
    """The indicator's levels that group establishments by the registry or peer groups."""
    return [level for level in indicator.meta.levels if level not in ("etablissement", "national")]


def level_groups_sql(with_registry: bool, with_peers: bool) -> str:
    """The group of every establishment at every registry level, as rows (finess_et,
    entity_kind, entity_id): what `LevelGroups.of` gives, for `pooled_sql` to join once."""
    parts = [
        f"SELECT CAST(finess_et AS VARCHAR) AS finess_et, '{level}' AS entity_kind, "
        f"COALESCE(CAST({column} AS VARCHAR), '{UNKNOWN}') AS entity_id FROM establishments"
        for level, column in _REGISTRY_COLUMNS.items()
        if with_registry
    ]
    if with_peers:
        parts.append(
            "SELECT CAST(finess_et AS VARCHAR), 'strate:' || stratification, "
            "CAST(group_code AS VARCHAR) FROM peer_groups"
        )
    if not parts:
        return (
            "SELECT NULL::VARCHAR AS finess_et, NULL::VARCHAR AS entity_kind, "
            "NULL::VARCHAR AS entity_id WHERE false"
        )
    return " UNION ALL ".join(parts)


def pooled_sql(
    indicator: Indicator, compute_sql: str, columns, registry: bool = True
) -> str:
    """DuckDB SQL giving every level of the indicator from its compiled computation, with
    `aggregate_levels`'s semantics and column types: keys as text, values as doubles (NaN
    counts as missing, as in pandas), several rows of an establishment summed, a group whose
    values are all missing NULL (SUM skips NULLs and is NULL on none), establishments absent
    from the registry in the national figure only (inner join with GROUPS_TABLE, which must
    exist when the indicator has registry levels). Like `aggregate_levels`, the rows of every
    level are stacked and summed in one aggregation; `fsum` is a compensated sum, as pandas'
    group sums are.

    `registry=False`: the registry levels are left out, and the establishment rows are given
    whenever the indicator has registry levels (even when it does not publish them) — the
    registry levels of a whole run are then pooled from them in one query
    (`registry_pool_sql`): a join per indicator costs more to plan than its computation on
    a small warehouse."""
    values = [_quote(c) for c in value_columns(columns)]
    grouped = registry_levels(indicator)
    wanted = set(indicator.meta.levels) | ({"etablissement"} if grouped and not registry else set())
    cast = ", ".join(f"{_double(c)} AS {c}" for c in values)
    listed = ", ".join(f"b.{c}" for c in values)
    keys = "AS entity_kind, {} AS entity_id, b.period"
    stacked = [
        f"SELECT '{level}' {keys.format(group)}, {listed} FROM base AS b"
        for level, group in (("etablissement", "b.entity_id"), ("national", "'FR'"))
        if level in wanted
    ]
    if grouped and registry:
        kinds = ", ".join(f"'{level}'" for level in grouped)
        stacked.append(
            f"SELECT g.entity_kind {keys.format('g.entity_id')}, {listed} FROM base AS b "
            f"JOIN {GROUPS_TABLE} AS g ON g.finess_et = b.entity_id "
            f"WHERE g.entity_kind IN ({kinds})"
        )
    ordered = ", ".join(f"'{level}'" for level in dict.fromkeys([*indicator.meta.levels, *wanted]))
    sums = ", ".join(f"fsum({c}) AS {c}" for c in values)
    return (
        "WITH base AS MATERIALIZED (SELECT CAST(entity_id AS VARCHAR) AS entity_id, "
        f"CAST(period AS VARCHAR) AS period, {cast} FROM (\n{compute_sql}\n) AS computed)\n"
        f"SELECT entity_kind, entity_id, period, {sums} FROM (\n"
        + "\nUNION ALL ".join(stacked)
        + "\n) AS stacked GROUP BY entity_kind, entity_id, period\n"
        f"ORDER BY list_position([{ordered}], entity_kind), entity_id, period"
    )


REGISTRY_ROWS = "hospiscope_registry_rows"  # per run: every indicator's establishment rows
REGISTRY_KINDS = "hospiscope_registry_kinds"  # per run: (code, entity_kind) wanted


def registry_value(position: int) -> str:
    """The name of the `position`-th value column of REGISTRY_ROWS (indicators differ)."""
    return f"v{position}"


def registry_pool_sql(width: int) -> str:
    """The registry levels of every indicator of a run at once, from REGISTRY_ROWS (code,
    entity_id, period and `width` value columns: the establishment sums of `pooled_sql`
    with `registry=False`) and REGISTRY_KINDS: the same join and sums as `pooled_sql`'s
    registry branch, ordered by code, level (REGISTRY_KINDS' position), entity and period."""
    sums = ", ".join(f"fsum(r.{registry_value(i)}) AS {registry_value(i)}" for i in range(width))
    return (
        f"SELECT r.code, g.entity_kind, g.entity_id, r.period, {sums} FROM {REGISTRY_ROWS} AS r "
        f"JOIN {GROUPS_TABLE} AS g ON g.finess_et = r.entity_id "
        f"JOIN {REGISTRY_KINDS} AS k ON k.code = r.code AND k.entity_kind = g.entity_kind "
        "GROUP BY r.code, k.position, g.entity_kind, g.entity_id, r.period "
        "ORDER BY r.code, k.position, g.entity_id, r.period"
    )


def _double(column: str) -> str:
    """pandas' to_numeric(errors="coerce") then float64, NaN being missing for the sums
    (DuckDB's NaN equals NaN)."""
    return f"nullif(TRY_CAST({column} AS DOUBLE), 'NaN'::DOUBLE)"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def aggregate_levels(indicator: Indicator, base: pd.DataFrame, groups: LevelGroups) -> pd.DataFrame:
    """Every level of the indicator from its per-establishment table: entity_kind,
    entity_id, period, numerator, denominator and the `stat_*` sums."""
    values = value_columns(base.columns)
    entity = base["entity_id"].astype(str).to_numpy()
    numbers = {c: pd.to_numeric(base[c], errors="coerce").astype("float64") for c in values}
    parts = []
    for level in indicator.meta.levels:
        if level == "etablissement":
            # A computation may give several rows per establishment (e.g. responses and a
            # participation marker): they are summed like any group.
            group = entity
        elif level == "national":
            group = np.full(len(entity), "FR", dtype=object)
        else:  # establishments absent from the registry have no group at this level
            group = pd.Series(entity).map(groups.of(level)).to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "entity_kind": level,
                    "entity_id": group,
                    "period": base["period"].astype(str).to_numpy(),
                    **{c: numbers[c].to_numpy() for c in values},
                }
            )
        )
    stacked = pd.concat(parts, ignore_index=True)
    stacked = stacked[stacked["entity_id"].notna()]
    # min_count=1: a group whose values are all missing sums to missing, as in SQL.
    sums = stacked.groupby(list(KEY_COLUMNS), sort=False)[values].sum(min_count=1)
    return sums.reset_index()[[*KEY_COLUMNS, *values]]
