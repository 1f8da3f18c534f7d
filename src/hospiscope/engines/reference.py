"""The reference engine: every indicator's plain pandas implementation (its `reference`, its
derived tables' and its model's), pooled to every level like the engines' results. It is
the oracle the engines are tested against, and the straightforward baseline of the
benchmarks."""

from __future__ import annotations

import pandas as pd

from hospiscope.catalogue import Indicator
from hospiscope.catalogue.derived import derived_tables
from hospiscope.catalogue.model import parameters_table
from hospiscope.engines.levels import LevelGroups, aggregate_levels


def add_reference_derived(
    frames: dict[str, pd.DataFrame], indicators: list[Indicator]
) -> dict[str, pd.DataFrame]:
    """The derived tables the indicators read, built with their pandas reference."""
    derived = derived_tables()
    frames = dict(frames)
    for name in dict.fromkeys(n for i in indicators for n in i.meta.inputs if n in derived):
        frames[name] = derived[name].reference(frames)
    return frames


def reference_groups(frames: dict[str, pd.DataFrame]) -> LevelGroups:
    return LevelGroups(frames.get("establishments"), frames.get("peer_groups"))


def reference_evaluate(
    indicator: Indicator, frames: dict[str, pd.DataFrame], groups: LevelGroups | None = None
) -> pd.DataFrame:
    """Raw sums of every level, as an engine returns them (before finish)."""
    if indicator.fit is not None:
        summary = indicator.fit.reference_prepare(frames)
        frames = {**frames, parameters_table(indicator.code): indicator.fit.fit(summary)}
    groups = groups or reference_groups(frames)
    return aggregate_levels(indicator, indicator.reference(frames), groups)
