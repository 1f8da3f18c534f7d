"""From an indicator's per-establishment table to every level it is published at.

Aggregates pool numerators, denominators and every other sufficient statistic (`stat_*`
columns) over the establishments of the group — the rate of a region is Σ numerators /
Σ denominators, not a mean of rates. Establishments absent from the registry count in the
national figure only.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from hospiscope.catalogue.model import Indicator

KEY_COLUMNS = ("entity_kind", "entity_id", "period")
RESULT_COLUMNS = (*KEY_COLUMNS, "numerator", "denominator")  # without `stat_*` columns
UNKNOWN = "INCONNU"
STAT_PREFIX = "stat_"


def level_inputs(indicator: Indicator) -> list[str]:
    """Tables needed to compute the indicator at all its levels (warehouse or derived)."""
    names = list(indicator.meta.inputs)
    if any(level != "etablissement" for level in indicator.meta.levels):
        names.append("establishments")
    if any(level.startswith("strate:") for level in indicator.meta.levels):
        names.append("peer_groups")
    return list(dict.fromkeys(names))


def results_expression(indicator: Indicator, tables: dict[str, ir.Table]) -> ir.Table:
    """One expression yielding, for every level of the indicator: entity_kind, entity_id,
    period, numerator, denominator and the `stat_*` sums."""
    return levels_expression(indicator, base_expression(indicator, tables), tables)


def levels_expression(
    indicator: Indicator, base: ir.Table, tables: dict[str, ir.Table]
) -> ir.Table:
    """Every level from the per-establishment table `base` (materialise it first: each level
    reads it, and engines do not always share a common sub-query)."""
    parts = [_level(level, base, tables) for level in indicator.meta.levels]
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]


def value_columns(table: ir.Table) -> list[str]:
    """The summable columns: numerator, denominator, then the `stat_*` ones."""
    return ["numerator", "denominator"] + [c for c in table.columns if c.startswith(STAT_PREFIX)]


def base_expression(indicator: Indicator, tables: dict[str, ir.Table]) -> ir.Table:
    """The indicator's own computation, with uniform key and value types."""
    raw = indicator.compute(tables)
    values = {name: raw[name].cast("float64") for name in value_columns(raw)}
    return raw.select(
        entity_id=raw.entity_id.cast("string"), period=raw.period.cast("string"), **values
    )


def _level(level: str, base: ir.Table, tables: dict[str, ir.Table]) -> ir.Table:
    if level == "etablissement":
        return base.select(
            entity_kind=ibis.literal("etablissement"), **{c: base[c] for c in base.columns}
        )
    if level == "national":
        return _aggregate(base.mutate(group_id=ibis.literal("FR")), level)
    groups = _groups(level, tables)
    return _aggregate(base.join(groups, base.entity_id == groups.finess_et), level)


def _groups(level: str, tables: dict[str, ir.Table]) -> ir.Table:
    """(finess_et, group_id) for a level of aggregation."""
    if level.startswith("strate:"):
        p = tables["peer_groups"]
        p = p.filter(p.stratification == level.removeprefix("strate:"))
        return p.select(finess_et=p.finess_et, group_id=p.group_code)
    e = tables["establishments"]
    column = {"region": e.region_code, "departement": e.department_code, "statut": e.legal_status}[
        level
    ]
    return e.select(finess_et=e.finess_et, group_id=column.fill_null(UNKNOWN))


def _aggregate(table: ir.Table, level: str) -> ir.Table:
    sums = {name: table[name].sum() for name in value_columns(table)}
    grouped = table.group_by(["period", "group_id"]).aggregate(**sums)
    return grouped.select(
        entity_kind=ibis.literal(level),
        entity_id=grouped.group_id,
        period=grouped.period,
        **{name: grouped[name] for name in sums},
    )
