"""Funnel plots of stored O/E results: the establishments of one period placed exactly as the
indicator's finish placed them when it set their class (the same FunnelSpec, on the same
observed and expected counts, over every establishment with a result in France), for the
bilan, the command line and the API. A regional view shows its establishments against these
national limits: the reference of an O/E ratio is national."""

from __future__ import annotations

import duckdb
import pandas as pd

from hospiscope.catalogue import Indicator
from hospiscope.results.store import read_results
from hospiscope.stats.funnel import FunnelResult


def establishment_funnel(indicator: Indicator, results: pd.DataFrame) -> FunnelResult | None:
    """The funnel of `results` (stored rows of one indicator and period), or None when the
    indicator has no funnel or fewer establishments have a result than it needs."""
    if indicator.funnel is None:
        return None
    rows = results[
        (results["indicator_code"] == indicator.code)
        & (results["entity_kind"] == "etablissement")
        & results["status"].isna()
        & (results["denominator"] > 0)
    ]
    if rows["period"].nunique() > 1:
        raise ValueError(f"{indicator.code} : un diagramme en entonnoir porte sur une période")
    if len(rows) < indicator.funnel.min_units:
        return None
    return indicator.funnel.plot(
        rows["numerator"].to_numpy(float),
        rows["denominator"].to_numpy(float),
        rows["entity_id"].to_numpy(),
    )


def stored_funnel(
    con: duckdb.DuckDBPyConnection, indicator: Indicator, campaign: int
) -> tuple[str, FunnelResult] | None:
    """(period, funnel) of the campaign's period (its year, or the season ending with it)
    from the warehouse's computed results, or None when there is none."""
    rows = read_results(
        con, indicator=indicator.code, campaign=campaign, entity_kind="etablissement"
    )
    if rows.empty:
        return None
    period = str(campaign) if (rows["period"] == str(campaign)).any() else rows["period"].max()
    result = establishment_funnel(indicator, rows[rows["period"] == period])
    return None if result is None else (period, result)
