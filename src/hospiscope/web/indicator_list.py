"""The list of an indicator's establishments for one campaign: filters (region, department,
type, size, legal status, class or status), pages, and the order — the names' by default; by
value only when the reader asks for it, never as a league table by default."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from pydantic import BaseModel

from hospiscope.catalogue.meta import IndicatorMeta
from hospiscope.geo.reference import geography
from hospiscope.sources.finess.legal_status import LABELS as LEGAL_STATUS_LABELS
from hospiscope.web.indicator_data import Campaign
from hospiscope.web.indicator_parts import (
    STATUS_ORDER,
    class_css,
    labels_of,
    memoised,
)
from hospiscope.web.indicator_spread import LEGAL_STATUSES, legal_statuses
from hospiscope.web.pages.common import Choice
from hospiscope.web.values import class_labels, number, status_label, text

SORTS = {
    "nom": "nom de l'établissement",
    "commune": "commune",
    "valeur_croissante": "valeur croissante",
    "valeur_decroissante": "valeur décroissante",
}


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
    counts_hidden: bool  # small counts of persons, hidden (access/result_disclosure.py)
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
    statut: str | None = None  # legal status (the class or status of a result: `classe`)
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
    statuses: list[Choice]  # legal statuses
    classes: list[Choice]


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
        **memoised(found, "choices", lambda: _choices(meta, found)),
    )


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
    if filters.statut:
        keep &= legal_statuses(rows) == filters.statut
    if filters.classe:
        keep &= (rows["class"] == filters.classe) | (rows["status"] == filters.classe)
    return keep


def _sorted(rows: pd.DataFrame, keep: pd.Series, sort: str) -> pd.Index:
    """The kept rows by name (the order the campaign is kept in) unless the reader chose
    another order."""
    if sort == "commune":
        column = rows.loc[keep, "city_key"]
        return column.sort_values(na_position="last", kind="stable").index
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
        counts_hidden=row.get("counts_hidden") is True,
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
        "types": _options(rows["type_code"], labels_of(rows, "type_code", "type_label").get),
        "sizes": _options(rows["size_code"], labels_of(rows, "size_code", "size_label").get),
        "statuses": [
            Choice(code=c, label=LEGAL_STATUS_LABELS[c])
            for c in LEGAL_STATUSES
            if c in set(legal_statuses(rows))
        ],
        "classes": [Choice(code=c, label=label) for c, label in classes],
    }


def _options(column: pd.Series, label) -> list[Choice]:
    return [Choice(code=c, label=label(c) or c) for c in sorted(column.dropna().unique())]


def _details(raw: Any) -> dict:
    if isinstance(raw, str) and raw:
        return json.loads(raw)
    return raw if isinstance(raw, dict) else {}
