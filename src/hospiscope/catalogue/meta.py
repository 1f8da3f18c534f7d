"""The metadata schema of an indicator (pydantic, French labels for users): what a
definition file's `META` literal, merged with its family's defaults, must satisfy.

Kept apart from the computation model (model.py) so that readers of metadata only — the
summary, the `indicators` listing, the generated catalogue pages — import neither Ibis nor the
statistics.
"""

from __future__ import annotations

import datetime as dt
import itertools
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
# The group of an establishment whose registry value (region, department, status) is missing.
UNKNOWN = "INCONNU"


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
    """Who wrote the definition, who checked it, what was checked against what, and what is
    still open. `checked_by` stays None until a second person has checked it: the product
    then says « non relu par un second relecteur » — a reviewer is never invented."""

    authored_by: str
    checked_by: str | None = None
    reviewed_on: dt.date
    next_review: dt.date
    checked: tuple[str, ...] = ()  # French: what was checked, and against what
    open_questions: tuple[str, ...] = ()  # French

    @model_validator(mode="after")
    def _dated(self) -> Review:
        if self.next_review <= self.reviewed_on:
            raise ValueError("next_review must come after reviewed_on")
        return self


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
