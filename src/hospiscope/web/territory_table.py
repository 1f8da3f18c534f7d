"""The table of a territory's establishments (a GHT, an ARS region) in the private spaces: one
row per establishment with, for one family of indicators (catalogue `domain`), the latest
result of each indicator of that family — value, confidence interval, class, position against
the national value — read from the book of results the public establishment pages use.

Never a league table: no rank, no composite score, the names' order by default; the order and
filters the reader may choose are territory_order.py's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from pydantic import BaseModel

from hospiscope.catalogue import catalogue_meta
from hospiscope.catalogue.pages import DOMAINS
from hospiscope.geo.reference import geography
from hospiscope.sources.finess.legal_status import LABELS as LEGAL_STATUS_LABELS
from hospiscope.web.errors import bad_parameter
from hospiscope.web.indicator_parts import class_css
from hospiscope.web.indicator_spread import LEGAL_STATUSES
from hospiscope.web.pages.common import Choice
from hospiscope.web.search_index import normalised
from hospiscope.web.territory_order import (
    CLASS_SORT,
    SORTS,
    Entry,
    Header,
    TableQuery,
    class_code,
    filtered,
    header,
    legal_status,
    ordered,
    sort_label,
)
from hospiscope.web.values import IndicatorValue

# The establishment page's order of the families (then any other of the catalogue).
FAMILY_ORDER = (
    "experience_patient",
    "processus",
    "resultat",
    "certification",
    "efficience",
    "imagerie",
    "registre",
)
FAMILY_LABELS = {"experience_patient": "Expérience des patients (e-Satis)"}
PAGE_SIZE = 50


class Cell(BaseModel):
    """One indicator's latest result for one establishment."""

    period: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    cls: str | None
    cls_label: str | None
    css: str | None
    status: str | None
    status_label: str | None
    position_national: str | None


class Row(BaseModel):
    finess: str
    name: str
    url: str  # its page in the private space if the visitor may open it, else the public one
    city: str | None
    department: str | None
    department_name: str | None
    type: str | None
    category: str | None
    legal_status: str
    legal_status_label: str
    results: dict[str, Cell]  # indicator code → its result (indicators of the family only)


class Column(BaseModel):
    code: str
    label: str
    unit: str
    period: str | None  # the campaign of most of its results (a cell of another one says so)
    sort: Header | None  # by class (None when no establishment of the table has one)


class Table(BaseModel):
    family: str | None
    family_label: str
    families: list[Choice]  # the families with a result in this table
    headers: list[Header]  # the registry's columns
    columns: list[Column]  # the family's indicators
    rows: list[Row]
    legend: list[Choice]  # the statuses shown (DI, NR…) and what they mean
    total: int  # rows kept by the filters
    everything: int  # establishments of the entity
    page: int
    pages: int
    sort: str
    sort_label: str
    selected: dict[str, str]
    departments: list[Choice]
    types: list[Choice]
    statuses: list[Choice]


def entries(
    results: Iterable[tuple[dict, list[IndicatorValue]]], url_of: Callable[[str], str]
) -> list[Entry]:
    """The entity's establishments ((registry row, results) pairs) in the names' order."""
    found = [Entry(row, values, url_of(row["finess_et"])) for row, values in results]
    return sorted(found, key=lambda e: (normalised(e.row["name"] or ""), e.row["finess_et"]))


def table(
    found: list[Entry], query: TableQuery, path: str, *, page_size: int | None = PAGE_SIZE
) -> Table:
    """The table for `query` (`page_size` None: every row, for the exports)."""
    families = _families(found)
    family = query.famille or (families[0].code if families else None)
    if family is not None and family not in DOMAINS:
        raise bad_parameter("famille", f"famille d'indicateurs inconnue : « {family} »")
    codes = sorted({v.code for e in found for v in e.values if v.domain == family})
    if class_code(query.tri) not in (None, *codes):
        # Another family chosen while sorted by a class of the previous one: by name.
        query = query.model_copy(update={"tri": "nom"})
    kept = ordered(filtered(found, query), query.tri, codes)
    size = page_size or max(len(kept), 1)
    pages = max(1, -(-len(kept) // size))
    number = min(query.page, pages)  # past the last page (filters narrowed): the last one
    shown = kept[(number - 1) * size : number * size]
    chosen = query.model_copy(update={"famille": family})
    return Table(
        family=family,
        family_label=family_label(family),
        families=families,
        headers=[header(code, label, chosen, path) for code, label in SORTS.items()],
        columns=[_column(code, found, chosen, path) for code in codes],
        rows=(rows := [_row(e, set(codes)) for e in shown]),
        legend=_legend(rows),
        total=len(kept),
        everything=len(found),
        page=number,
        pages=pages,
        sort=query.tri,
        sort_label=sort_label(query.tri),
        selected={k: str(v) for k, v in chosen.model_dump().items() if v and k != "page"},
        **_choices(found),
    )


def family_label(code: str | None) -> str:
    label = FAMILY_LABELS.get(code, DOMAINS.get(code, code or "")) if code else ""
    return label[:1].upper() + label[1:]


def _families(found: list[Entry]) -> list[Choice]:
    present = {v.domain for e in found for v in e.values}
    order = [*FAMILY_ORDER, *sorted(set(DOMAINS) - set(FAMILY_ORDER))]
    return [Choice(code=d, label=family_label(d)) for d in order if d in present]


def _column(code: str, found: list[Entry], query: TableQuery, path: str) -> Column:
    meta = catalogue_meta()[code]
    results = [v for e in found for v in e.values if v.code == code]
    periods = Counter(v.period for v in results).most_common(1)
    sort = header(f"{CLASS_SORT}{code}", "classe", query, path)
    return Column(
        code=code,
        label=meta.short_label,
        unit=meta.unit,
        period=periods[0][0] if periods else None,
        sort=sort if any(v.cls for v in results) else None,
    )


def _row(entry: Entry, codes: set[str]) -> Row:
    row = entry.row
    department = geography().departments.get(row["department_code"] or "")
    status = legal_status(row)
    return Row(
        finess=row["finess_et"],
        name=row["name"] or row["finess_et"],
        url=entry.url,
        city=row["city"],
        department=row["department_code"],
        department_name=department.name if department else None,
        type=row["category_group_label"],
        category=row["category_label"],
        legal_status=status,
        legal_status_label=LEGAL_STATUS_LABELS[status],
        results={v.code: _cell(v) for v in entry.values if v.code in codes},
    )


def _cell(value: IndicatorValue) -> Cell:
    css = class_css(catalogue_meta()[value.code], value.period)
    return Cell(
        period=value.period,
        value=value.value,
        ci_low=value.ci_low,
        ci_high=value.ci_high,
        cls=value.cls,
        cls_label=value.cls_label,
        css=css.get(value.cls, "neutre") if value.cls else ("statut" if value.status else None),
        status=value.status,
        status_label=value.status_label,
        position_national=value.position_national,
    )


def _legend(rows: list[Row]) -> list[Choice]:
    shown = {(c.status, c.status_label) for r in rows for c in r.results.values() if c.status}
    return [Choice(code=code, label=label or code) for code, label in sorted(shown)]


def _choices(found: list[Entry]) -> dict[str, list[Choice]]:
    departments = {e.row["department_code"] for e in found} - {None}
    names = geography().departments
    types = {e.row["category_group_code"]: e.row["category_group_label"] for e in found}
    statuses = {legal_status(e.row) for e in found}
    return {
        "departments": [
            Choice(code=c, label=f"{c} {names[c].name}" if c in names else c)
            for c in sorted(departments)
        ],
        "types": [
            Choice(code=c, label=label or c)
            for c, label in sorted(types.items(), key=lambda t: t[1] or "")
            if c
        ],
        "statuses": [
            Choice(code=c, label=LEGAL_STATUS_LABELS[c]) for c in LEGAL_STATUSES if c in statuses
        ],
    }
