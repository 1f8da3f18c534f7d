"""The order and the filters of a territory's table (web/territory_table.py): the names'
order by default; the reader may sort by a registry column or by an indicator's class — the
grid's bands in their order, best first when the indicator has a direction — never by value.
Rows without a value for the chosen column come last, in the names' order, either way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from pydantic import BaseModel, Field

from hospiscope.catalogue import catalogue_meta
from hospiscope.sources.finess.legal_status import UNKNOWN as UNKNOWN_STATUS
from hospiscope.web.errors import bad_parameter
from hospiscope.web.indicator_spread import LEGAL_STATUSES
from hospiscope.web.search_index import normalised
from hospiscope.web.values import IndicatorValue, class_labels

SORTS = {
    "nom": "nom",
    "commune": "commune",
    "departement": "département",
    "type": "type",
    "statut": "statut juridique",
}
CLASS_SORT = "classe:"  # tri=classe:CODE (best class first), tri=-classe:CODE (worst first)


class TableQuery(BaseModel):
    """What the reader chose (the query parameters of the page, its twin and its exports)."""

    famille: str | None = Field(None, max_length=40, pattern=r"^[a-z_]*$")
    q: str = Field("", max_length=120, description="nom ou commune")
    departement: str | None = Field(None, max_length=3, pattern=r"^[0-9AB]*$")
    type: str | None = Field(None, max_length=12, pattern=r"^[0-9A-Za-z_]*$")
    statut: str | None = Field(None, max_length=24, pattern=r"^[a-z_]*$")
    tri: str = Field(
        "nom",
        max_length=60,
        pattern=r"^-?(nom|commune|departement|type|statut|classe:[A-Z0-9_]{1,50})$",
        description="nom, commune, departement, type, statut ou classe:INDICATEUR ; - : inverse",
    )
    page: int = Field(1, ge=1, le=1000)


class Header(BaseModel):
    """A sortable column: the address that sorts by it, and how it is sorted now."""

    code: str
    label: str
    url: str
    aria_sort: str | None  # ascending, descending, or None when the table is not sorted by it


@dataclass(frozen=True)
class Entry:
    """An establishment of the entity: its registry row and every result of it."""

    row: dict
    values: list[IndicatorValue]
    url: str


def filtered(found: list[Entry], query: TableQuery) -> list[Entry]:
    """The establishments whose name or commune holds every word of `q` (accents and case
    aside), of the chosen department, type and legal status."""
    terms = normalised(query.q).split()
    kept = []
    for entry in found:
        row = entry.row
        text = normalised(f"{row['name'] or ''} {row['city'] or ''}")
        if any(term not in text for term in terms):
            continue
        if query.departement and row["department_code"] != query.departement:
            continue
        if query.type and row["category_group_code"] != query.type:
            continue
        if query.statut and legal_status(row) != query.statut:
            continue
        kept.append(entry)
    return kept


def ordered(kept: list[Entry], tri: str, codes: list[str]) -> list[Entry]:
    """`kept` (in the names' order) by the chosen column; rows without a value for it last,
    in the names' order, whichever the direction."""
    descending, column, code = tri.startswith("-"), tri.removeprefix("-"), class_code(tri)
    if column == "nom":
        return list(reversed(kept)) if descending else kept
    if code is not None:
        if code not in codes:
            raise bad_parameter("tri", f"indicateur absent de la famille choisie : « {code} »")
        key = lambda e: _class_position(e, code)  # noqa: E731
    else:
        key = _KEYS[column]
    with_value = [e for e in kept if key(e) is not None]
    without = [e for e in kept if key(e) is None]
    return sorted(with_value, key=key, reverse=descending) + without


def class_code(tri: str) -> str | None:
    """The indicator whose class `tri` sorts by, if it does."""
    column = tri.removeprefix("-")
    return column.removeprefix(CLASS_SORT) if column.startswith(CLASS_SORT) else None


def _text_key(name: str) -> Callable[[Entry], str | None]:
    return lambda e: normalised(e.row[name]) if e.row[name] else None


_KEYS = {
    "commune": _text_key("city"),
    "departement": lambda e: e.row["department_code"],
    "type": _text_key("category_group_label"),
    "statut": lambda e: _status_position(legal_status(e.row)),
}


def _class_position(entry: Entry, code: str) -> int | None:
    """Where the establishment's class of `code` sits in the grid's bands (0: the first)."""
    value = next((v for v in entry.values if v.code == code), None)
    if value is None or value.cls is None:
        return None
    order = [c for c, _ in class_labels(catalogue_meta()[code], value.period)]
    return order.index(value.cls) if value.cls in order else None


def _status_position(status: str) -> int | None:
    """The codebook's order of the legal statuses (never a judgement); unknown last."""
    return LEGAL_STATUSES.index(status) if status != UNKNOWN_STATUS else None


def legal_status(row: dict) -> str:
    status = row["legal_status"]
    return status if status in LEGAL_STATUSES else UNKNOWN_STATUS


def _url(path: str, query: TableQuery, **changes) -> str:
    chosen = query.model_copy(update={"page": 1, **changes}).model_dump()
    params = {k: v for k, v in chosen.items() if v and not (k == "page" and v == 1)}
    if params.get("tri") == "nom":
        del params["tri"]
    return f"{path}?{urlencode(params)}" if params else path


def header(code: str, label: str, query: TableQuery, path: str) -> Header:
    """Sorted by this column: the link reverses the order; else it sorts by it."""
    current = query.tri.removeprefix("-")
    descending = query.tri.startswith("-")
    if current != code:
        return Header(code=code, label=label, url=_url(path, query, tri=code), aria_sort=None)
    target = code if descending else f"-{code}"
    aria = "descending" if descending else "ascending"
    return Header(code=code, label=label, url=_url(path, query, tri=target), aria_sort=aria)


def sort_label(tri: str) -> str:
    column = tri.removeprefix("-")
    if column.startswith(CLASS_SORT):
        code = column.removeprefix(CLASS_SORT)
        worst = "la moins bonne d'abord" if tri.startswith("-") else "la meilleure d'abord"
        return f"classe de l'indicateur {catalogue_meta()[code].short_label} ({worst})"
    way = " (ordre inverse)" if tri.startswith("-") else ""
    return f"{SORTS[column]}{way}"
