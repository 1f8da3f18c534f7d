"""What an indicator page shows of one campaign, built from `indicator_data.Campaign`: the
distribution of establishments by class (counted as reports/parts.py counts them for the
bilan) and the results by region, type and size, in the order of their codes (never by
result). The list of establishments is indicator_list.py."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel

from hospiscope.catalogue.meta import UNKNOWN, ClassBand, Direction, IndicatorMeta
from hospiscope.geo.reference import geography
from hospiscope.reports import format as fr
from hospiscope.web.indicator_data import Campaign
from hospiscope.web.values import class_labels, number, status_label

STATUS_ORDER = ("DI", "NR", "NV", "NC")
GROUP_TITLES = {
    "region": "Par région",
    "strate:type": "Par type d'établissement",
    "strate:taille": "Par taille (lits et places)",
}
# The list's filter behind each group table (None: the group cannot be filtered on).
GROUP_FILTERS = {"region": "region", "strate:type": "type", "strate:taille": "taille"}
GROUP_COLUMNS = {"region": "region_code", "strate:type": "type_code", "strate:taille": "size_code"}


class Category(BaseModel):
    code: str
    label: str
    count: int
    share: float | None  # classes: among the establishments with a class; statuses: among all
    css: str  # rang-0 (best) … rang-4, neutre, statut
    bounds: str | None = None  # French, for a class of a grid: "de 76,5 à moins de 79,7"


class Distribution(BaseModel):
    classes: list[Category]  # best first when the indicator has a direction
    statuses: list[Category]
    classed: int  # establishments with a class
    with_value: int
    total: int  # establishments with a result row for the campaign
    ordered: bool
    grid_source: str | None
    grid_assumption: bool | None


class GroupRow(BaseModel):
    code: str
    label: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    numerator: float | None
    denominator: float | None
    establishments: int  # with a value in the campaign
    url: str | None


class GroupTable(BaseModel):
    kind: str
    title: str
    rows: list[GroupRow]


def class_css(meta: IndicatorMeta, period: str) -> dict[str, str]:
    """CSS class of each class code: rang-0 for the best … rang-4 for the worst, from the
    indicator's direction; `neutre` without one."""
    codes = [code for code, _ in class_labels(meta, period)]
    if meta.direction is Direction.NONE:
        return dict.fromkeys(codes, "neutre")
    last = max(len(codes) - 1, 1)
    return {code: f"rang-{(index * 4) // last}" for index, code in enumerate(codes)}


def distribution(meta: IndicatorMeta, found: Campaign) -> Distribution:
    rows = found.establishments
    labels = class_labels(meta, found.period)
    counts = rows["class"].dropna().value_counts()
    known = {code for code, _ in labels}
    labels += sorted((c, c) for c in counts.index if c not in known)
    classed = int(counts.sum())
    css = class_css(meta, found.period)
    grid = meta.class_grid(found.period)
    bounds = {band.code: band_bounds(band, meta.unit) for band in grid.bands} if grid else {}
    classes = [
        Category(
            code=code,
            label=label,
            count=int(counts.get(code, 0)),
            share=counts.get(code, 0) / classed if classed else None,
            css=css.get(code, "neutre"),
            bounds=bounds.get(code),
        )
        for code, label in labels
    ]
    statuses = rows["status"].dropna().value_counts()
    order = [c for c in STATUS_ORDER if c in statuses] + sorted(
        c for c in statuses.index if c not in STATUS_ORDER
    )
    return Distribution(
        classes=classes,
        statuses=[
            Category(
                code=code,
                label=status_label(meta, code) or code,
                count=int(statuses[code]),
                share=statuses[code] / len(rows),
                css="statut",
            )
            for code in order
        ],
        classed=classed,
        with_value=int(rows["value"].notna().sum()),
        total=len(rows),
        ordered=meta.direction is not Direction.NONE,
        grid_source=grid.source if grid else None,
        grid_assumption=grid.assumption if grid else None,
    )


def band_bounds(band: ClassBand, unit: str) -> str:
    """A class's bounds in words: lower bound included, upper bound excluded — unless a grid
    nudged a bound past a round value (80.00000000000001: "more than 80 %")."""
    parts = []
    if band.lower is not None:
        above = "plus de" if _nudged(band.lower) else "à partir de"
        parts.append(f"{above} {_bound(band.lower, unit)}")
    if band.upper is not None:
        below = "jusqu'à" if _nudged(band.upper) else "moins de"
        parts.append(f"{below} {_bound(band.upper, unit)}")
    return " et ".join(parts) or "toutes les valeurs"


def _nudged(value: float) -> bool:
    return not float(value).is_integer() and abs(value - round(value)) < 1e-9


def _bound(value: float, unit: str) -> str:
    return f"{fr.number(value, 2, trim=True)}{fr.NNBSP}{unit}".replace(f"{fr.NNBSP}/", "/")


def group_tables(found: Campaign, list_url: str) -> list[GroupTable]:
    """Regions, types and sizes of the campaign, in the order of their codes."""
    rows = found.establishments
    valued = rows["value"].notna()
    labels = memoised(found, "group_labels", lambda: _group_labels(found))
    tables = []
    for kind in GROUP_TITLES:
        frame = found.groups.get(kind)
        if frame is None or frame.empty:
            continue
        counts = rows.loc[valued, GROUP_COLUMNS[kind]].value_counts()
        parameter = GROUP_FILTERS[kind]
        tables.append(
            GroupTable(
                kind=kind,
                title=GROUP_TITLES[kind],
                rows=[
                    GroupRow(
                        code=r["entity_id"],
                        label=labels[kind].get(r["entity_id"], r["entity_id"]),
                        value=number(r["value"]),
                        ci_low=number(r["ci_low"]),
                        ci_high=number(r["ci_high"]),
                        numerator=number(r["numerator"]),
                        denominator=number(r["denominator"]),
                        establishments=int(counts.get(r["entity_id"], 0)),
                        url=f"{list_url}&{parameter}={r['entity_id']}",
                    )
                    for r in frame.sort_values("entity_id").to_dict("records")
                ],
            )
        )
    return tables


def _group_labels(found: Campaign) -> dict[str, dict[str, str]]:
    rows = found.establishments
    regions = {code: r.name for code, r in geography().regions.items()}
    regions[UNKNOWN] = "Région non renseignée"
    return {
        "region": regions,
        "strate:type": labels_of(rows, "type_code", "type_label"),
        "strate:taille": labels_of(rows, "size_code", "size_label"),
    }


def labels_of(rows: pd.DataFrame, code: str, label: str) -> dict[str, str]:
    known = rows[[code, label]].dropna(subset=[code]).drop_duplicates(code)
    return dict(zip(known[code], known[label].fillna(known[code]), strict=True))


def memoised(found: Campaign, name: str, build):
    """What every page of the campaign's list shares, built once."""
    if name not in found.memo:
        found.memo[name] = build()
    return found.memo[name]
