"""What an indicator page shows of one campaign, built from `indicator_data.Campaign`: the
distribution of establishments by class (counted as reports/parts.py counts them for the
bilan), the results by region, type and size, and the list of establishments with its
filters. Lists keep the order of names or codes: never sorted by result unless the reader
asks for it."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
from pydantic import BaseModel

from hospiscope.catalogue.meta import UNKNOWN, ClassBand, Direction, IndicatorMeta
from hospiscope.geo.reference import geography
from hospiscope.reports import format as fr
from hospiscope.web.indicator_data import Campaign, sort_key
from hospiscope.web.pages.common import Choice
from hospiscope.web.values import class_labels, status_label

STATUS_ORDER = ("DI", "NR", "NV", "NC")
GROUP_TITLES = {
    "region": "Par région",
    "strate:type": "Par type d'établissement",
    "strate:taille": "Par taille (lits et places)",
}
# The list's filter behind each group table (None: the group cannot be filtered on).
GROUP_FILTERS = {"region": "region", "strate:type": "type", "strate:taille": "taille"}
GROUP_COLUMNS = {"region": "region_code", "strate:type": "type_code", "strate:taille": "size_code"}
SORTS = {
    "nom": "nom de l'établissement",
    "commune": "commune",
    "valeur_croissante": "valeur croissante",
    "valeur_decroissante": "valeur décroissante",
}


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


class Listed(BaseModel):
    finess: str
    name: str
    url: str
    city: str | None
    department: str | None
    department_name: str | None
    region: str | None
    type: str | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    numerator: float | None
    denominator: float | None
    cls: str | None
    cls_label: str | None
    status: str | None
    status_label: str | None
    css: str | None
    position_national: str | None


class Filters(BaseModel):
    region: str | None = None
    departement: str | None = None
    type: str | None = None
    taille: str | None = None
    classe: str | None = None


class EstablishmentList(BaseModel):
    total: int  # matching the filters
    everything: int  # establishments of the campaign
    page: int
    pages: int
    page_size: int
    sort: str
    sorts: list[Choice]
    selected: dict[str, str]
    rows: list[Listed]
    regions: list[Choice]
    departments: list[Choice]
    types: list[Choice]
    sizes: list[Choice]
    classes: list[Choice]


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
    labels = _memoised(found, "group_labels", lambda: _group_labels(found))
    tables = []
    for kind, frame in found.groups.items():
        if frame.empty:
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
        "strate:type": _labels(rows, "type_code", "type_label"),
        "strate:taille": _labels(rows, "size_code", "size_label"),
    }


def _labels(rows: pd.DataFrame, code: str, label: str) -> dict[str, str]:
    known = rows[[code, label]].dropna(subset=[code]).drop_duplicates(code)
    return dict(zip(known[code], known[label].fillna(known[code]), strict=True))


def establishment_list(
    meta: IndicatorMeta,
    found: Campaign,
    filters: Filters,
    *,
    sort: str,
    page: int,
    page_size: int,
) -> EstablishmentList:
    rows = found.establishments
    chosen = _sorted(rows, _filtered(rows, filters), sort)
    pages = max(1, -(-len(chosen) // page_size))
    shown = rows.loc[chosen[(page - 1) * page_size : page * page_size]]
    css = class_css(meta, found.period)
    labels = dict(class_labels(meta, found.period))
    return EstablishmentList(
        total=len(chosen),
        everything=len(rows),
        page=page,
        pages=pages,
        page_size=page_size,
        sort=sort,
        sorts=[Choice(code=code, label=label) for code, label in SORTS.items()],
        selected={k: v for k, v in filters.model_dump().items() if v},
        rows=[_listed(meta, row, css, labels) for row in shown.to_dict("records")],
        **_memoised(found, "choices", lambda: _choices(meta, found)),
    )


def _memoised(found: Campaign, name: str, build):
    """What every page of the campaign's list shares, built once."""
    if name not in found.memo:
        found.memo[name] = build()
    return found.memo[name]


def _filtered(rows: pd.DataFrame, filters: Filters) -> pd.Series:
    """Which rows the filters keep."""
    keep = pd.Series(True, index=rows.index)
    for column, value in (
        ("region_code", filters.region),
        ("department_code", filters.departement),
        ("type_code", filters.type),
        ("size_code", filters.taille),
    ):
        if value:
            keep &= rows[column] == value
    if filters.classe:
        keep &= (rows["class"] == filters.classe) | (rows["status"] == filters.classe)
    return keep


def _sorted(rows: pd.DataFrame, keep: pd.Series, sort: str) -> pd.Index:
    """The kept rows by name (the order the campaign is kept in) unless the reader chose
    another order."""
    if sort == "commune":
        column = rows.loc[keep, "city"]
        return column.sort_values(key=lambda c: c.map(sort_key), kind="stable").index
    if sort in ("valeur_croissante", "valeur_decroissante"):
        column = rows.loc[keep, "value"]
        ascending = sort == "valeur_croissante"
        return column.sort_values(ascending=ascending, na_position="last", kind="stable").index
    return rows.index[keep.to_numpy()]


def _listed(meta: IndicatorMeta, row: dict, css: dict, labels: dict) -> Listed:
    departments = geography().departments
    department = departments.get(row.get("department_code") or "")
    cls, status = text(row["class"]), text(row["status"])
    return Listed(
        finess=row["entity_id"],
        name=str(row["name"]),
        url=f"/etablissements/{row['entity_id']}",
        city=text(row.get("city")),
        department=text(row.get("department_code")),
        department_name=department.name if department else None,
        region=text(row.get("region_code")),
        type=text(row.get("type_label")),
        value=number(row["value"]),
        ci_low=number(row["ci_low"]),
        ci_high=number(row["ci_high"]),
        numerator=number(row["numerator"]),
        denominator=number(row["denominator"]),
        cls=cls,
        cls_label=labels.get(cls, cls) if cls else None,
        status=status,
        status_label=status_label(meta, status),
        css=css.get(cls, "neutre") if cls else ("statut" if status else None),
        position_national=text(_details(row.get("details")).get("position_national")),
    )


def _choices(meta: IndicatorMeta, found: Campaign) -> dict[str, list[Choice]]:
    rows = found.establishments
    regions = {code: r.name for code, r in geography().regions.items()}
    departments = {code: d.name for code, d in geography().departments.items()}
    present_classes = set(rows["class"].dropna())
    classes = [(c, label) for c, label in class_labels(meta, found.period) if c in present_classes]
    statuses = [c for c in STATUS_ORDER if c in set(rows["status"].dropna())]
    classes += [(c, f"{c} : {status_label(meta, c)}") for c in statuses]
    return {
        "regions": _options(rows["region_code"], lambda c: regions.get(c, c)),
        "departments": _options(
            rows["department_code"], lambda c: f"{c} {departments.get(c, '')}".strip()
        ),
        "types": _options(rows["type_code"], _labels(rows, "type_code", "type_label").get),
        "sizes": _options(rows["size_code"], _labels(rows, "size_code", "size_label").get),
        "classes": [Choice(code=c, label=label) for c, label in classes],
    }


def _options(column: pd.Series, label) -> list[Choice]:
    return [Choice(code=c, label=label(c) or c) for c in sorted(column.dropna().unique())]


def _details(raw: Any) -> dict:
    if isinstance(raw, str) and raw:
        return json.loads(raw)
    return raw if isinstance(raw, dict) else {}


def number(value: Any) -> float | None:
    if value is None:
        return None
    result = float(value)
    return None if math.isnan(result) else result


def text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)
