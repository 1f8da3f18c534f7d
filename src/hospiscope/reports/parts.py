"""Parts of a bilan section read from stored results: distributions of establishments by
class or status (nationally, by type, by region) and funnel plots of O/E ratios."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from hospiscope.catalogue import Indicator
from hospiscope.catalogue.model import Direction
from hospiscope.reports.model import Category, Distribution, FunnelChart, FunnelPoint
from hospiscope.reports.sections import period_of
from hospiscope.results.funnels import establishment_funnel
from hospiscope.results.published import published_national  # noqa: F401 (re-export)

STATUS_ORDER = ("DI", "NR", "NV", "NC")


def distributions(
    indicators: dict[str, Indicator], results: pd.DataFrame, registry: pd.DataFrame, scope
) -> tuple[Distribution, ...]:
    found = []
    for code, indicator in indicators.items():
        rows = results[
            (results["indicator_code"] == code) & (results["entity_kind"] == "etablissement")
        ]
        period = period_of(sorted(rows["period"].unique()), scope.campaign)
        everywhere = rows[rows["period"] == period]
        rows = everywhere.merge(registry, left_on="entity_id", right_on="finess_et", how="inner")
        labels = rows["class"].where(rows["class"].notna(), rows["status"]).dropna()
        if rows["class"].notna().sum() == 0:
            continue
        categories = _categories(indicator, str(period), set(labels))
        rows = rows.assign(label=labels)
        distribution = _distribution(
            indicator, rows, categories, "type_label", "Par type d'établissement", period
        )
        if scope.region is not None:  # France entière beside the region
            distribution = replace(distribution, reference=_counts(everywhere, categories))
        found.append(distribution)
        if scope.region is None:
            found.append(
                _distribution(indicator, rows, categories, "region_label", "Par région", period)
            )
    return tuple(found)


def _counts(rows: pd.DataFrame, categories: list[tuple[str, str]]) -> tuple[int, ...]:
    labels = rows["class"].where(rows["class"].notna(), rows["status"]).value_counts()
    return tuple(int(labels.get(code, 0)) for code, _ in categories)


def _categories(indicator: Indicator, period: str, present: set) -> list[tuple[str, str]]:
    grid = indicator.meta.class_grid(period)
    ordered = [(b.code, b.label) for b in grid.bands] if grid else list(indicator.meta.class_labels)
    known = {code for code, _ in ordered}
    ordered += sorted((c, c) for c in present - known if c not in STATUS_ORDER)
    statuses = {s.code: s.label for s in indicator.meta.statuses}
    ordered += [(c, statuses.get(c, c)) for c in STATUS_ORDER if c in present]
    return ordered


def _distribution(
    indicator: Indicator,
    rows: pd.DataFrame,
    categories: list[tuple[str, str]],
    group: str,
    title: str,
    period: str,
) -> Distribution:
    total = int(rows["label"].notna().sum())
    counts = rows["label"].value_counts()
    national = tuple(
        Category(
            code, label, int(counts.get(code, 0)), counts.get(code, 0) / total if total else 0.0
        )
        for code, label in categories
    )
    by_group = {
        name: tuple(int((part["label"] == code).sum()) for code, _ in categories)
        for name, part in rows.groupby(group)
    }
    grid = indicator.meta.class_grid(period)
    note = None
    if grid is not None:
        note = (
            "Grille de classes : "
            + grid.source
            + (" (hypothèse)" if grid.assumption and "ypothèse" not in grid.source else "")
        )
    return Distribution(
        indicator=indicator.code,
        title=f"{indicator.meta.short_label} : établissements par classe",
        categories=national,
        total=total,
        by_group=dict(sorted(by_group.items())),
        group_title=title,
        ordered=indicator.meta.direction is not Direction.NONE,
        worst_first=worst_first(indicator, grid),
        note=note,
    )


def worst_first(indicator: Indicator, grid) -> bool:
    """Whether the grid lists its bands from the worst to the best: bounds rising for a
    higher-is-better indicator (vaccination: "très insuffisant" first), falling for a
    lower-is-better one. Class labels without a grid are listed best first."""
    if grid is None or len(grid.bands) < 2 or indicator.meta.direction is Direction.NONE:
        return False
    first, last = grid.bands[0], grid.bands[-1]
    rising = first.lower is None or (last.lower is not None and first.lower < last.lower)
    return rising == (indicator.meta.direction is Direction.HIGHER_IS_BETTER)


def funnel(
    indicator: Indicator, results: pd.DataFrame, registry: pd.DataFrame, scope
) -> FunnelChart | None:
    """The funnel plot of an O/E indicator, limits at 95 % and 99.8 % computed over every
    establishment of France as its classes were (results.funnels); the scope's
    establishments drawn against them."""
    rows = results[
        (results["indicator_code"] == indicator.code) & (results["entity_kind"] == "etablissement")
    ]
    period = period_of(sorted(rows["period"].unique()), scope.campaign)
    rows = rows[rows["period"] == period]
    result = establishment_funnel(indicator, rows)
    if result is None:
        return None
    units = result.units.set_index("unit")
    shown = rows.merge(registry, left_on="entity_id", right_on="finess_et", how="inner")
    shown = shown[shown["entity_id"].isin(units.index)]
    if shown.empty:
        return None
    points = tuple(
        FunnelPoint(
            entity=r.entity_id,
            label=str(r.name or r.entity_id),
            precision=float(r.denominator),
            value=float(r.numerator / r.denominator),
            flag=_position(units.loc[r.entity_id]),
        )
        for r in shown.itertuples()
    )
    limits = {
        column: tuple(float(v) for v in result.limits[column]) for column in result.limits.columns
    }
    return FunnelChart(
        indicator=indicator.code,
        title=f"{indicator.meta.short_label} — campagne {period}",
        x_label="Infections attendues",
        y_label="Ratio observé / attendu",
        target=result.target,
        points=points,
        limits=limits,
        method=f"{result.method}. {result.note}",
        outliers_high=sum(p.flag == _FLAGS["high_998"] for p in points),
        outliers_low=sum(p.flag == _FLAGS["low_998"] for p in points),
    )


# Positions against the limits the classes use (adjusted for over-dispersion), strongest first.
_FLAGS = {
    "high_998": "au-dessus 99,8 %",
    "low_998": "en dessous 99,8 %",
    "high_95": "au-dessus 95 %",
    "low_95": "en dessous 95 %",
}


def _position(unit: pd.Series) -> str | None:
    return next((text for flag, text in _FLAGS.items() if unit[f"{flag}_adjusted"]), None)
