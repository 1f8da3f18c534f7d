"""From an indicator's per-establishment table to every level it is published at.

Aggregates pool numerators and denominators over the establishments of the group (the rate
of a region is Σ numerators / Σ denominators, not a mean of rates). Establishments absent
from the registry count in the national figure only.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from hospiscope.catalogue.model import Indicator

RESULT_COLUMNS = ("entity_kind", "entity_id", "period", "numerator", "denominator")
UNKNOWN = "INCONNU"


def level_inputs(indicator: Indicator) -> list[str]:
    """Warehouse tables needed to compute the indicator at all its levels."""
    names = list(indicator.meta.inputs)
    if any(level != "etablissement" for level in indicator.meta.levels):
        names.append("establishments")
    if any(level.startswith("strate:") for level in indicator.meta.levels):
        names.append("peer_groups")
    return list(dict.fromkeys(names))


def results_expression(indicator: Indicator, tables: dict[str, ir.Table]) -> ir.Table:
    """One expression yielding RESULT_COLUMNS for every level of the indicator."""
    base = indicator.compute(tables).select(
        entity_id=ibis._.entity_id.cast("string"),
        period=ibis._.period.cast("string"),
        numerator=ibis._.numerator.cast("float64"),
        denominator=ibis._.denominator.cast("float64"),
    )
    parts = [_level(level, base, tables) for level in indicator.meta.levels]
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]


def _level(level: str, base: ir.Table, tables: dict[str, ir.Table]) -> ir.Table:
    if level == "etablissement":
        return base.select(
            entity_kind=ibis.literal("etablissement"),
            entity_id=base.entity_id,
            period=base.period,
            numerator=base.numerator,
            denominator=base.denominator,
        )
    if level == "national":
        return _aggregate(base.mutate(group_id=ibis.literal("FR")), "national")
    groups = _groups(level, tables)
    joined = base.join(groups, base.entity_id == groups.finess_et)
    return _aggregate(joined, level)


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
    return (
        table.group_by(["period", "group_id"])
        .aggregate(numerator=table.numerator.sum(), denominator=table.denominator.sum())
        .select(
            entity_kind=ibis.literal(level),
            entity_id=ibis._.group_id,
            period=ibis._.period,
            numerator=ibis._.numerator,
            denominator=ibis._.denominator,
        )
    )
