"""The indicator model: metadata validated by a schema, plus one pure computation.

An `Indicator` is data: its metadata (`IndicatorMeta`, pydantic, French labels for users)
and a computation written once as an Ibis expression from input tables to a table of
(entity_id, period, numerator, denominator) per establishment. Engines run it; the results
layer aggregates to higher levels and adds uncertainty, classes and statuses. A plain pandas
`reference` implementation of the same computation is the oracle the engines are tested
against (and the baseline of the benchmark).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import ibis.expr.types as ir
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hospiscope.stats.funnel import FunnelResult, funnel_ratio

BASE_COLUMNS = ("entity_id", "period", "numerator", "denominator")
# Levels results are published at: the establishment itself, or an aggregate of
# establishments (national, region, department, legal status, a group of a stratification).
LEVELS = (
    "etablissement",
    "national",
    "region",
    "departement",
    "statut",
    "strate:type",
    "strate:taille",
)


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NONE = "none"  # no judgement: neutral colours, no "best"/"worst"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClassBand(_Frozen):
    """A class of a grid: lower bound inclusive, upper bound exclusive (None = open)."""

    code: str
    label: str
    lower: float | None = None
    upper: float | None = None


class ClassGrid(_Frozen):
    """Class thresholds, valid for some periods (campaigns) or for all (`periods` empty)."""

    bands: tuple[ClassBand, ...]
    source: str
    assumption: bool = False  # True when the grid is not an official one
    periods: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _contiguous(self) -> ClassGrid:
        ordered = sorted(self.bands, key=lambda b: -float("inf") if b.lower is None else b.lower)
        for below, above in itertools.pairwise(ordered):
            if below.upper != above.lower:
                raise ValueError(f"class grid has a gap or overlap at {below.upper}/{above.lower}")
        return self

    def classify(self, value: float) -> str | None:
        for band in self.bands:
            if (band.lower is None or value >= band.lower) and (
                band.upper is None or value < band.upper
            ):
                return band.code
        return None


class Status(_Frozen):
    code: str  # DI, NR, NV, NC …
    label: str


class Review(_Frozen):
    authored_by: str
    checked_by: str | None = None
    reviewed_on: dt.date
    next_review: dt.date


class IndicatorMeta(_Frozen):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,40}$")
    label: str
    short_label: str
    domain: Literal[
        "registre",
        "experience_patient",
        "processus",
        "resultat",
        "certification",
        "efficience",
        "imagerie",
    ]
    kind: Literal["rate", "count", "score", "ratio", "level"]
    unit: str
    numerator: str
    denominator: str | None = None
    factor: float = 1.0
    direction: Direction
    target: float | None = None
    target_source: str | None = None
    class_grids: tuple[ClassGrid, ...] = ()
    # Classes a `finish` sets itself (decisions, funnel positions): (code, French label), in
    # display order — best first when the direction is known.
    class_labels: tuple[tuple[str, str], ...] = ()
    min_sample: int | None = None
    # The column counted against min_sample: the denominator, or a `stat_*` column when the
    # denominator is not a count of units (e.g. expected events of an O/E ratio).
    sample_column: str = "denominator"
    statuses: tuple[Status, ...] = ()
    ci_method: Literal["wilson", "exact", "poisson_exact", "byar", "normal", "none"] = "none"
    ci_level: float = 0.95
    levels: tuple[str, ...]
    inputs: tuple[str, ...]
    period: str  # what the period is, e.g. "campagne e-Satis (année)"
    source_document: str
    source_section: str
    method_version: str = Field(pattern=r"^\d+\.\d+$")
    assumptions: tuple[str, ...] = ()  # labels shown in the product next to the results
    review: Review
    headline: bool = False  # shown in the national summary (not only in the bilan)

    @field_validator("levels")
    @classmethod
    def _known_levels(cls, levels: tuple[str, ...]) -> tuple[str, ...]:
        if unknown := [level for level in levels if level not in LEVELS]:
            raise ValueError(f"unknown levels {unknown}; known: {LEVELS}")
        return levels

    @model_validator(mode="after")
    def _coherent(self) -> IndicatorMeta:
        if self.kind == "rate" and (self.denominator is None or self.ci_method == "none"):
            raise ValueError(f"{self.code}: a rate needs a denominator and a CI method")
        if self.kind == "count" and self.denominator is not None:
            raise ValueError(f"{self.code}: a count has no denominator")
        if self.target is not None and not self.target_source:
            raise ValueError(f"{self.code}: a target needs its source")
        if self.min_sample and not any(s.code == "DI" for s in self.statuses):
            raise ValueError(f"{self.code}: a minimum sample needs the DI status")
        if sum(1 for g in self.class_grids if not g.periods) > 1:
            raise ValueError(f"{self.code}: at most one default class grid")
        return self

    def status_label(self, code: str) -> str:
        return next(s.label for s in self.statuses if s.code == code)

    def class_grid(self, period: str) -> ClassGrid | None:
        """The grid valid for `period`: one naming the period, else the default one."""
        named = [g for g in self.class_grids if period in g.periods]
        default = [g for g in self.class_grids if not g.periods]
        return (named or default or [None])[0]


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
