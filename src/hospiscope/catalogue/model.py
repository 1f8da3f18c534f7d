"""The indicator model: metadata validated by a schema, plus one pure computation.

An `Indicator` is data: its metadata (`IndicatorMeta`, meta.py: the literal `META` of its
definition file merged with its family's defaults by loader.py) and a computation written
once as an Ibis expression from input tables to a table of (entity_id, period, numerator,
denominator) per establishment. Engines run it; the results
layer aggregates to higher levels and adds uncertainty, classes and statuses. A plain pandas
`reference` implementation of the same computation is the oracle the engines are tested
against (and the baseline of the benchmark).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.meta import (  # re-exported: the model's metadata half
    LEVELS,
    ClassBand,
    ClassGrid,
    Direction,
    IndicatorMeta,
    Review,
    Status,
)

if TYPE_CHECKING:
    from hospiscope.stats.funnel import FunnelResult

__all__ = [
    "BASE_COLUMNS",
    "LEVELS",
    "ClassBand",
    "ClassGrid",
    "DerivedTable",
    "Direction",
    "Fit",
    "FunnelSpec",
    "Indicator",
    "IndicatorMeta",
    "Review",
    "Status",
    "parameters_table",
]
BASE_COLUMNS = ("entity_id", "period", "numerator", "denominator")


Compute = Callable[[dict[str, ir.Table]], ir.Table]
Reference = Callable[[dict[str, pd.DataFrame]], pd.DataFrame]
# From the sums of every level (one row per level, entity and period: numerator, denominator,
# `stat_*`) to `value`, CI and `details`; statuses and classes are applied after it.
Finish = Callable[["Indicator", pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class Fit:
    """A model fitted on the whole nation before the computation (risk or case-mix models).

    `prepare` (Ibis, run by the engine) summarises the national data — typically counts and
    sums per cell of categorical patient characteristics, a few hundred rows; `fit` (pandas /
    numpy / statsmodels) turns that summary into a small parameter table, which the engine
    receives as the input `<code>__modele` for `compute` (e.g. the predicted value per cell).
    `reference_prepare` is the pandas oracle of `prepare`."""

    prepare: Compute
    fit: Callable[[pd.DataFrame], pd.DataFrame]
    reference_prepare: Reference


def parameters_table(code: str) -> str:
    """Name under which an indicator's fitted parameters reach its computation."""
    return f"{code.lower()}__modele"


@dataclass(frozen=True)
class DerivedTable:
    """An intermediate table shared by several indicators (e.g. one score per respondent and
    dimension), built once per computation run by the engine from warehouse tables."""

    name: str
    inputs: tuple[str, ...]
    build: Compute
    reference: Reference


@dataclass(frozen=True)
class FunnelSpec:
    """How an O/E indicator's establishments are placed on a funnel plot: one place for the
    flags its finish sets and the plots the reports, the CLI and the API draw. Part of the
    method's fingerprint (its repr)."""

    overdispersion: str = "additive"  # "none", "multiplicative" (φ) or "additive" (τ²)
    min_units: int = 10  # fewer establishments with a result: no funnel is drawn

    def plot(self, observed, expected, ids) -> FunnelResult:
        # Imported here: the statistics (scipy) are not needed to read a definition.
        from hospiscope.stats.funnel import funnel_ratio

        return funnel_ratio(observed, expected, ids=ids, overdispersion=self.overdispersion)


@dataclass(frozen=True)
class Indicator:
    meta: IndicatorMeta
    compute: Compute
    reference: Reference
    finish: Finish | None = None  # None: the standard rate / count / ratio finish
    fit: Fit | None = None
    funnel: FunnelSpec | None = None  # O/E indicators judged against a funnel plot

    @property
    def code(self) -> str:
        return self.meta.code
