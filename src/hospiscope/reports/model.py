"""What a bilan contains, independent of how it is rendered (HTML, PDF, later the web).

The results layer assembles a `Bilan` from stored results; the renderer turns it into HTML
and PDF. Every figure carries its numerator and denominator, its CI and its method version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One national (or regional) value, with its change since the previous campaign."""

    indicator: str  # code
    label: str  # French
    unit: str  # "%", "/100", "établissements", …
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_method: str | None = None
    previous_value: float | None = None  # same indicator, previous campaign
    change_points: float | None = None  # value − previous_value, in points
    # CI of the change and its significance, as stored by the results layer (results.changes)
    change_ci_low: float | None = None
    change_ci_high: float | None = None
    change_significant: bool | None = None
    method_version: str = "1.0"
    method_changed: bool = False  # the method differs from the previous campaign's
    assumptions: tuple[str, ...] = ()
    # "publie": a result published by HAS (its method is HAS's: no hospiscope assumption)
    origin: str = "calcul"
    national_value: float | None = None  # France entière, beside a regional value


@dataclass(frozen=True)
class Category:
    code: str  # "A", "B", "certifie_mention", "exemplaire", …
    label: str
    count: int
    share: float  # 0–1, of the distribution's total


@dataclass(frozen=True)
class Distribution:
    """Establishments by class / level / decision, nationally and by group (type, region)."""

    indicator: str
    title: str
    categories: tuple[Category, ...]  # national, in display order
    total: int
    # group label → counts in the same order as `categories` (e.g. by type, by region)
    by_group: dict[str, tuple[int, ...]] = field(default_factory=dict)
    group_title: str | None = None  # "Par type d'établissement", "Par région"
    ordered: bool = True  # categories have an order (A best … D worst); else neutral colours
    # the order is worst → best (e.g. "très insuffisant" … "exemplaire"): colours reversed so
    # that the worst level always takes the worst colour
    worst_first: bool = False
    # regional bilan: the same counts for France entière, shown beside the region's
    reference: tuple[int, ...] | None = None
    reference_label: str = "France entière"
    note: str | None = None  # e.g. "grille 2019 ; hypothèse pour 2024"


@dataclass(frozen=True)
class FunnelPoint:
    entity: str  # FINESS
    label: str  # establishment name
    precision: float  # x axis: expected events, sample size…
    value: float  # y axis: ratio or rate
    flag: str | None = None  # "au-dessus 99,8 %", "au-dessus 95 %", …


@dataclass(frozen=True)
class FunnelChart:
    indicator: str
    title: str
    x_label: str
    y_label: str
    target: float
    points: tuple[FunnelPoint, ...]
    # precision grid and limits: {"precision": [...], "lower_95": [...], "upper_95": [...],
    # "lower_998": [...], "upper_998": [...]} (+ "_adjusted" variants when over-dispersion is
    # accounted for)
    limits: dict[str, tuple[float, ...]]
    method: str  # e.g. "Spiegelhalter 2005, limites de Poisson exactes ; φ = 1,8 (multiplicatif)"
    outliers_high: int = 0
    outliers_low: int = 0


@dataclass(frozen=True)
class TableBlock:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # already formatted (French numbers)
    note: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    text: str | None = None  # short French introduction (generated from the data)
    figures: tuple[Figure, ...] = ()
    distributions: tuple[Distribution, ...] = ()
    funnels: tuple[FunnelChart, ...] = ()
    tables: tuple[TableBlock, ...] = ()


@dataclass(frozen=True)
class MethodNote:
    indicator: str
    label: str
    method_version: str
    numerator: str
    denominator: str | None
    ci_method: str | None
    source: str
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bilan:
    title: str  # "Bilan national des indicateurs de qualité et de sécurité des soins"
    campaign: int
    previous_campaign: int | None
    scope: str  # "France entière" or a region name
    generated_at: dt.datetime
    sections: tuple[Section, ...]
    methods: tuple[MethodNote, ...]
    provenance: tuple[str, ...]  # one line per import run / computation used
    # Which source the figures come from, and whether they predate later imports.
    notices: tuple[str, ...] = ()
