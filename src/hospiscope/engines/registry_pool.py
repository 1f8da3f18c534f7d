"""The registry levels of every indicator of a run, pooled in one DuckDB query.

Per indicator, `pooled_sql(..., registry=False)` gives the establishment and national rows;
the registry levels (region, department, legal status, strata) are then summed from the
establishment rows of all the indicators at once and put back in each indicator's frame, in
the order `pooled_sql` gives them. On a small warehouse, planning the join to the groups in
every indicator's query cost more than its computation; the establishment sums are small.
Establishment sums are exactly what the registry branch would have summed (fsum: compensated,
the same rules on missing values: a NULL establishment sum is one whose values were all
missing).
"""

from __future__ import annotations

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


class RegistryPool:
    """Completes the frames of `DuckDBEngine.pool_deferred` on the engine's connection."""

    def __init__(self, engine) -> None:
        self.engine = engine

    def complete(self, pooled: dict[str, tuple[Indicator, pd.DataFrame]]) -> dict:
        deferred = {code: item for code, item in pooled.items() if registry_levels(item[0])}
        if not deferred:
            return {code: frame for code, (_, frame) in pooled.items()}
        summed = self._sums(deferred)
        parts = summed.groupby(["code", "entity_kind"], sort=False).indices if len(summed) else {}
        return {
            code: _merged(code, indicator, frame, summed, parts) if code in deferred else frame
            for code, (indicator, frame) in pooled.items()
        }

    def _sums(self, deferred: dict[str, tuple[Indicator, pd.DataFrame]]) -> pd.DataFrame:
        pieces, kinds, width = [], {"code": [], "entity_kind": []}, 1
        for code, (indicator, frame) in deferred.items():
            values = value_columns(frame.columns)
            width = max(width, len(values))
            own = frame[frame["entity_kind"].to_numpy() == "etablissement"]
            pieces.append(
                pd.DataFrame(
                    {
                        "code": code,
                        "entity_id": own["entity_id"].to_numpy(),
                        "period": own["period"].to_numpy(),
                        **{registry_value(i): own[c].to_numpy() for i, c in enumerate(values)},
                    }
                )
            )
            for level in registry_levels(indicator):
                kinds["code"].append(code)
                kinds["entity_kind"].append(level)
        rows = pd.concat(pieces, ignore_index=True)
        for position in range(width):  # padded columns (NaN: missing) typed as doubles
            name = registry_value(position)
            rows[name] = rows[name].astype("float64") if name in rows else float("nan")
        con = self.engine.con
        con.register(REGISTRY_ROWS, pa.Table.from_pandas(rows, preserve_index=False))
        con.register(REGISTRY_KINDS, pa.table(kinds, schema=_KINDS_SCHEMA))
        try:
            return con.execute(registry_pool_sql(width)).df()
        finally:
            con.unregister(REGISTRY_ROWS)
            con.unregister(REGISTRY_KINDS)


_KINDS_SCHEMA = pa.schema([("code", pa.string()), ("entity_kind", pa.string())])


def _merged(code, indicator: Indicator, frame: pd.DataFrame, summed, parts) -> pd.DataFrame:
    """The indicator's rows level by level in its levels' order, each level's rows by entity
    and period (as `pooled_sql`'s ORDER BY)."""
    values = value_columns(frame.columns)
    renamed = {registry_value(i): c for i, c in enumerate(values)}
    kinds = frame["entity_kind"].to_numpy()
    pieces = []
    for level in indicator.meta.levels:
        if level in _OWN_LEVELS:
            pieces.append(frame[kinds == level])
        elif (code, level) in parts:
            chosen = summed.iloc[parts[(code, level)]]
            pieces.append(chosen[[*_KEYS, *renamed]].rename(columns=renamed))
    pieces = [piece for piece in pieces if len(piece)]
    if not pieces:
        return frame.iloc[:0].reset_index(drop=True)
    return pd.concat(pieces, ignore_index=True)
