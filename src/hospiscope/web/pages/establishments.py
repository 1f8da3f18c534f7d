"""Finding establishments and their identity card: search (with type-ahead suggestions and
filters), and one page per establishment with every quality result."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from hospiscope.geo.places import find_places
from hospiscope.geo.reference import geography
from hospiscope.web import registry
from hospiscope.web.errors import bad_parameter, not_found
from hospiscope.web.pages.common import Choice, Layout, layout, store_of
from hospiscope.web.search_index import Filters, SearchIndex
from hospiscope.web.twins import page
from hospiscope.web.values import IndicatorValue, Notices, establishment_values

router = APIRouter(tags=["établissements"])

FINESS = Annotated[str, Path(pattern=r"^[0-9][0-9AB][0-9]{7}$", description="numéro FINESS ET")]
Text = Annotated[str, Query(max_length=120, description="nom, commune, code postal, FINESS")]
Code = Annotated[str | None, Query(max_length=12, pattern=r"^[0-9A-Za-z_]*$")]
Source = Annotated[
    Literal["calcul", "publie", "tout"] | None,
    Query(description="résultats calculés (défaut), publiés, ou tous"),
]
PAGE_SIZE = 20


class EstablishmentCard(BaseModel):
    """An establishment in a list."""

    finess: str
    name: str
    url: str
    city: str | None
    postcode: str | None
    department: str | None
    department_name: str | None
    region: str | None
    type: str | None
    legal_status: str
    activities: list[str]
    certification: str | None
    distance_km: float | None = None


class Identity(EstablishmentCard):
    finess_ej: str | None
    long_name: str | None
    street: str | None
    category: str | None
    region_name: str | None
    longitude: float | None
    latitude: float | None
    activity_labels: list[str]
    activity_rule: str
    certification_date: str | None
    certification_visit: str | None
    certification_cycle: int | None


class Near(BaseModel):
    """Where "near" is: a commune (its centroid) or the browser's position."""

    label: str
    longitude: float
    latitude: float
    radius_km: float
    other_places: list[Choice]  # other communes of that name, to pick instead


class SearchPage(BaseModel):
    layout: Layout
    query: str
    near: Near | None
    total: int
    page: int
    pages: int
    results: list[EstablishmentCard]
    types: list[Choice]
    regions: list[Choice]
    departments: list[Choice]
    activities: list[Choice]
    decisions: list[Choice]
    selected: dict[str, str]


class Suggestions(BaseModel):
    query: str
    results: list[EstablishmentCard]


class EstablishmentPage(BaseModel):
    layout: Layout
    establishment: Identity
    indicators: list[IndicatorValue]
    notices: Notices


def card(row: dict) -> EstablishmentCard:
    return EstablishmentCard(**_card_fields(row))


def _card_fields(row: dict) -> dict:
    departments = geography().departments
    department = departments.get(row["department_code"] or "")
    return {
        "finess": row["finess_et"],
        "name": row["name"] or row["finess_et"],
        "url": f"/etablissements/{row['finess_et']}",
        "city": row["city"],
        "postcode": row["postcode"],
        "department": row["department_code"],
        "department_name": department.name if department else None,
        "region": row["region_code"],
        "type": row["category_group_label"],
        "legal_status": registry.legal_status_label(row["legal_status"]),
        "activities": list(row["activities"] or []),
        "certification": registry.decision_label(row["decision"]),
        "distance_km": row.get("distance_km"),
    }


@page(
    router,
    "/recherche",
    template="search.html",
    model=SearchPage,
    summary="Rechercher des établissements",
)
def search(
    request: Request,
    q: Text = "",
    departement: Code = None,
    region: Code = None,
    type: Code = None,
    activite: Code = None,
    certification: Code = None,
    pres_de: Annotated[
        str, Query(max_length=80, description="commune (nom ou code INSEE) : tri par distance")
    ] = "",
    lat: Annotated[float | None, Query(ge=-90, le=90, description="latitude (WGS84)")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, description="longitude (WGS84)")] = None,
    rayon: Annotated[float, Query(gt=0, le=300, description="rayon en km")] = 30,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> SearchPage:
    filters = _filters(departement, region, type, activite, certification)
    near = _near(pres_de, lat, lon, rayon)
    position = (near.longitude, near.latitude) if near else None
    total, rows = search_index(request).search(
        q,
        filters,
        near=position,
        radius_km=rayon if near else None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    with store_of(request).cursor() as con:
        types = [Choice(code=c, label=label) for c, label in registry.category_groups(con)]
    selected = {
        k: v
        for k, v in {
            "departement": departement,
            "region": region,
            "type": type,
            "activite": activite,
            "certification": certification,
            "pres_de": pres_de,
        }.items()
        if v
    }
    return SearchPage(
        layout=layout(request, "Rechercher un établissement"),
        query=q,
        near=near,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        results=[card(row) for row in rows],
        types=types,
        regions=[
            Choice(code=r.code, label=r.name)
            for r in sorted(geography().regions.values(), key=lambda r: r.name)
        ],
        departments=[
            Choice(code=d.code, label=f"{d.code} {d.name}")
            for d in sorted(geography().departments.values(), key=lambda d: d.code)
        ],
        activities=[Choice(code=c, label=label) for c, label in registry.ACTIVITIES.items()],
        decisions=[
            Choice(code=str(code), label=label) for code, label in registry.DECISION_LABELS.items()
        ],
        selected=selected,
    )


def _filters(departement, region, type, activite, certification) -> Filters:
    """The search filters of the query parameters (French names, as in the URL)."""
    return Filters(
        department=departement,
        region=region,
        category_group=type,
        activity=activite,
        decision=certification,
    )


def search_index(request: Request) -> SearchIndex:
    return store_of(request).prepared("search")


def results_of(
    request: Request, finess: str, source: str | None
) -> tuple[list[IndicatorValue], Notices]:
    """The results of `finess` for its page: from the book of every establishment's results
    (web/establishment_book.py) for the default source, else from the warehouse."""
    store = store_of(request)
    if source is None and store.copy:  # (the baseline without copy reads the warehouse)
        found = store.prepared("book").values(finess)
        if found is not None:
            return found
    with store.cursor() as con:
        return establishment_values(con, finess, registry.peer_groups(con, finess), source)


def establishment_rows(request: Request, numbers: list[str]) -> list[dict]:
    """The registry rows of `numbers`, in that order (unknown ones left out): from the index;
    without the copy (the baseline), from the warehouse, those rows only."""
    store = store_of(request)
    if store.copy:
        return search_index(request).establishments(numbers)
    with store.cursor() as con:
        return registry.establishment_rows(con, numbers)


def identity_row(request: Request, finess: str) -> dict:
    """The registry row of `finess`, or the "unknown establishment" error."""
    found = establishment_rows(request, [finess])
    row = found[0] if found else None
    if row is None:
        raise not_found(
            "unknown_establishment",
            f"établissement inconnu : aucun établissement de numéro FINESS {finess} "
            "dans le registre",
        )
    return row


EXPORT_MAX_ROWS = 20_000


def all_matches(
    request: Request,
    q,
    departement,
    region,
    type,
    activite,
    certification,
    pres_de,
    lat,
    lon,
    rayon,
) -> list[EstablishmentCard]:
    """Every establishment a search finds (for exports), in the order of the list."""
    near = _near(pres_de, lat, lon, rayon)
    filters = _filters(departement, region, type, activite, certification)
    _, rows = search_index(request).search(
        q,
        filters,
        near=(near.longitude, near.latitude) if near else None,
        radius_km=rayon if near else None,
        limit=EXPORT_MAX_ROWS,
    )
    return [card(row) for row in rows]


def _near(place: str, lat: float | None, lon: float | None, radius: float) -> Near | None:
    if place.strip():
        found = find_places(place, limit=6)
        if not found:
            raise bad_parameter("pres_de", f"commune introuvable : « {place.strip()} »")
        first = found[0]
        return Near(
            label=f"{first.name} ({first.department_code})",
            longitude=first.lon,
            latitude=first.lat,
            radius_km=radius,
            other_places=[
                Choice(code=p.code_insee, label=f"{p.name} ({p.department_code})")
                for p in found[1:]
            ],
        )
    if (lat is None) != (lon is None):
        raise bad_parameter("lat" if lat is None else "lon", "latitude et longitude vont ensemble")
    if lat is None:
        return None
    return Near(
        label="votre position", longitude=lon, latitude=lat, radius_km=radius, other_places=[]
    )


@page(
    router,
    "/recherche/suggestions",
    template="suggestions.html",
    model=Suggestions,
    summary="Suggestions pendant la saisie",
    inline=True,  # the in-memory index only: a fraction of a millisecond
)
def suggestions(request: Request, q: Text = "") -> Suggestions:
    if len(q.strip()) < 2:
        return Suggestions(query=q, results=[])
    _, rows = search_index(request).search(q, Filters(), limit=8, count=False)
    return Suggestions(query=q, results=[card(row) for row in rows])


@page(
    router,
    "/etablissements/{finess}",
    template="establishment.html",
    model=EstablishmentPage,
    summary="Fiche d'un établissement et ses résultats",
)
def establishment(request: Request, finess: FINESS, source: Source = None) -> EstablishmentPage:
    row = identity_row(request, finess)
    values, notices = results_of(request, finess, source)
    return establishment_page(request, row, values, notices)


def establishment_page(
    request: Request, row: dict, values: list[IndicatorValue], notices: Notices
) -> EstablishmentPage:
    """The page of the establishment of registry `row` showing `values` (the private page
    shows other results with the same page)."""
    identity = Identity(
        **_card_fields(row),
        finess_ej=row["finess_ej"],
        long_name=row["name_long"],
        street=row["street"],
        category=row["category_label"],
        region_name=geography().regions[row["region_code"]].name
        if row["region_code"] in geography().regions
        else None,
        longitude=row["longitude"],
        latitude=row["latitude"],
        activity_labels=[registry.ACTIVITIES[a] for a in row["activities"] or []],
        activity_rule=registry.ACTIVITY_RULE,
        certification_date=str(row["decision_date"]) if row["decision_date"] else None,
        certification_visit=str(row["visit_date"]) if row["visit_date"] else None,
        certification_cycle=row["cycle"],
    )
    return EstablishmentPage(
        layout=layout(request, identity.name),
        establishment=identity,
        indicators=values,
        notices=notices,
    )
