"""The registry levels of every indicator of a run, pooled in one DuckDB query.

Per indicator, `pooled_sql(..., registry=False)` gives the establishment and national rows;
the registry levels (region, department, legal status, strata) are then summed from the
establishment rows of all the indicators at once and appended to each indicator's frame, in
the order `pooled_sql` gives them (the catalogue lists its own levels, establishment and
nation, before the registry ones). On a small warehouse, planning the join to the groups in
every indicator's query cost more than its computation; the establishment sums are small.
They are what the registry branch would have summed (fsum: compensated; a NULL establishment
sum is one whose values were all missing, skipped as they were).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from hospiscope.catalogue.model import Indicator
from hospiscope.engines.levels import (
    REGISTRY_KINDS,
    REGISTRY_ROWS,
    registry_levels,
    registry_pool_sql,
    registry_value,
    value_columns,
)

_KEYS = ["entity_kind", "entity_id", "period"]
_OWN_LEVELS = ("etablissement", "national")  # in each indicator's own query
_KINDS_SCHEMA = pa.schema(
    [("code", pa.string()), ("entity_kind", pa.string()), ("position", pa.int32())]
)


class RegistryPool:
    """Completes the frames of `DuckDBEngine.pool_deferred` on the engine's connection."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def complete(self, pooled: dict[str, tuple[Indicator, pd.DataFrame]]) -> dict:
        deferred = {code: item for code, item in pooled.items() if registry_levels(item[0])}
        if not deferred:
            return {code: frame for code, (_, frame) in pooled.items()}
        _check_order(deferred)
        summed = self._sums(deferred)
        # Rows come ordered by code: one contiguous span per indicator.
        codes, starts, counts = np.unique(
            summed["code"].to_numpy(dtype=object).astype(str), return_index=True, return_counts=True
        )
        spans = {
            code: (start, start + count)
            for code, start, count in zip(codes.tolist(), starts, counts, strict=True)
        }
        return {
            code: _merged(indicator, frame, summed, spans.get(code)) if code in deferred else frame
            for code, (indicator, frame) in pooled.items()
        }

    def _sums(self, deferred: dict[str, tuple[Indicator, pd.DataFrame]]) -> pd.DataFrame:
        width = max(len(value_columns(frame.columns)) for _, frame in deferred.values())
        columns: dict[str, list] = {"code": [], "entity_id": [], "period": []}
        columns.update({registry_value(i): [] for i in range(width)})
        kinds: dict[str, list] = {"code": [], "entity_kind": [], "position": []}
        for code, (indicator, frame) in deferred.items():
            own = _establishment_rows(indicator, frame)
            values = value_columns(frame.columns)
            columns["code"].append(np.full(len(own), code, dtype=object))
            for key in ("entity_id", "period"):
                columns[key].append(own[key].to_numpy(dtype=object))
            for position in range(width):
                columns[registry_value(position)].append(
                    own[values[position]].to_numpy(dtype=float)
                    if position < len(values)
                    else np.full(len(own), np.nan)
                )
            for position, level in enumerate(indicator.meta.levels):
                if level not in _OWN_LEVELS:
                    kinds["code"].append(code)
                    kinds["entity_kind"].append(level)
                    kinds["position"].append(position)
        rows = pa.table(
            {
                name: pa.array(np.concatenate(parts), from_pandas=True, type=_type(name))
                for name, parts in columns.items()
            }
        )
        con = self.engine.con
        con.register(REGISTRY_ROWS, rows)
        con.register(REGISTRY_KINDS, pa.table(kinds, schema=_KINDS_SCHEMA))
        try:
            return con.execute(registry_pool_sql(width)).df()
        finally:
            con.unregister(REGISTRY_ROWS)
            con.unregister(REGISTRY_KINDS)


def _type(name: str) -> pa.DataType:
    return pa.string() if name in ("code", "entity_id", "period") else pa.float64()


def _check_order(deferred) -> None:
    """The appending below relies on the own levels coming first."""
    for indicator, _ in deferred.values():
        levels = indicator.meta.levels
        own = [i for i, level in enumerate(levels) if level in _OWN_LEVELS]
        if own != list(range(len(own))):
            raise ValueError(f"{indicator.code}: establishment and nation must come first")


def _published_rows(indicator: Indicator, frame: pd.DataFrame) -> int:
    """How many of the frame's first rows are published: all of them, but the establishment
    rows given only for the registry levels (ordered last by `pooled_sql`)."""
    if "etablissement" in indicator.meta.levels:
        return len(frame)
    return int((frame["entity_kind"].to_numpy(dtype=object) != "etablissement").sum())


def _establishment_rows(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    if "etablissement" not in indicator.meta.levels:
        return frame.iloc[_published_rows(indicator, frame) :]
    count = int((frame["entity_kind"].to_numpy(dtype=object) == "etablissement").sum())
    return frame.iloc[:count]  # first level: its rows come first


def _merged(indicator: Indicator, frame: pd.DataFrame, summed, span) -> pd.DataFrame:
    """The indicator's published own rows, then its registry rows (ordered by level in its
    levels' order, entity and period, as `pooled_sql`'s ORDER BY)."""
    published = _published_rows(indicator, frame)
    head = frame if published == len(frame) else frame.iloc[:published]
    if span is None:
        return head.reset_index(drop=True)
    values = value_columns(frame.columns)
    picked = [summed.columns.get_loc(c) for c in _KEYS]
    picked += [summed.columns.get_loc(registry_value(i)) for i in range(len(values))]
    tail = summed.iloc[span[0] : span[1], picked]
    tail.columns = list(frame.columns)
    return pd.concat([head, tail], ignore_index=True)
