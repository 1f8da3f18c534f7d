"""The tables of a GHT's and of an ARS region's establishments (private spaces), their CSV and
Excel exports, and the national team's list of regions and their GHTs. Each page, twin and
export first asks the one rule (`authorise`, kind `unpublished` of the GHT, the region or the
nation): a GHT user sees its GHT, an ARS user its region and the GHTs of its region, the
national team everything; any other entity answers 404 as one that does not exist.

What the tables show is what the public establishment pages show (the book of results: web/
establishment_book.py): results of published campaigns only. The results of a campaign not yet
published are seen by each establishment and the national team alone (access/rule.py, (*))."""

from __future__ import annotations

from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from hospiscope.access import rule
from hospiscope.access.perimeter import NATION, Entity, Perimeter
from hospiscope.geo.reference import geography
from hospiscope.sources.ght import origin_label
from hospiscope.web import territory_export
from hospiscope.web.auth import authorise, visitor
from hospiscope.web.pages import establishments
from hospiscope.web.pages.common import Choice, Layout, layout, store_of
from hospiscope.web.territory_table import Entry, Table, TableQuery, entries, table
from hospiscope.web.twins import page

router = APIRouter(tags=["espaces privés"])

GhtCode = Annotated[str, Path(pattern=r"^[0-9A-Za-z_-]{1,40}$", description="code du GHT")]
RegionCode = Annotated[
    str, Path(pattern=r"^[0-9]{2}$", description="code INSEE de la région (01 à 06 : outre-mer)")
]
Chosen = Annotated[TableQuery, Query()]
EXPORT_CSV = territory_export.route_options("csv-excel")
EXPORT_XLSX = territory_export.route_options("xlsx")
KEPT_TABLES = 32  # territories whose results are kept in memory (a few MB at most)
NOT_A_RANKING = (
    "Ce tableau n'est pas un classement : il n'a ni rang ni score composite, et suit par défaut "
    "l'ordre alphabétique des noms. Le tri par classe regroupe les établissements d'une même "
    "classe ; deux résultats dont les intervalles de confiance se chevauchent ne se "
    "distinguent pas."
)
PUBLISHED_ONLY = (
    "Résultats des campagnes publiées uniquement. Les résultats d'une campagne qui n'est pas "
    "encore publiée ne sont visibles que par chaque établissement, pour les siens, et par "
    "l'équipe nationale."
)


class GhtLink(Choice):
    url: str
    establishments: int


class TerritoryPage(BaseModel):
    layout: Layout
    kind: str  # ght, region
    code: str
    name: str
    region: Choice | None  # a GHT's region (that of its support establishment)
    region_url: str | None  # its page, when the visitor may open it
    support: str | None  # a GHT's support establishment
    composition: str | None  # where the GHT composition comes from (an assumption in the demo)
    ghts: list[GhtLink]  # a region's GHTs
    notes: list[str]
    exports: list[Choice]  # address, label
    table: Table


class RegionEntry(Choice):
    url: str
    establishments: int
    ghts: list[GhtLink]


class RegionsPage(BaseModel):
    layout: Layout
    regions: list[RegionEntry]
    composition: str | None


@page(
    router,
    "/espace/ght/{code}",
    template="territory.html",
    model=TerritoryPage,
    summary="Tableau des établissements d'un GHT (connexion requise)",
    private=True,
)
def ght_table(request: Request, code: GhtCode, query: Chosen) -> TerritoryPage:
    entity = Entity("ght", code)
    authorise(request, entity, "unpublished")
    return _territory(request, entity, query)


@page(
    router,
    "/espace/regions/{code}",
    template="territory.html",
    model=TerritoryPage,
    summary="Tableau des établissements d'une région, pour l'ARS (connexion requise)",
    private=True,
)
def region_table(request: Request, code: RegionCode, query: Chosen) -> TerritoryPage:
    entity = Entity("region", code)
    authorise(request, entity, "unpublished")
    return _territory(request, entity, query)


@page(
    router,
    "/espace/regions",
    template="regions.html",
    model=RegionsPage,
    summary="Régions et leurs GHT (équipe nationale)",
    private=True,
)
def regions_index(request: Request) -> RegionsPage:
    authorise(request, NATION, "unpublished")
    perimeter = _perimeter(request)
    regions = geography().regions
    found = [
        RegionEntry(
            code=code,
            label=regions[code].name if code in regions else code,
            url=f"/espace/regions/{code}",
            establishments=len(ets),
            ghts=_ghts_of(perimeter, code),
        )
        for code, ets in sorted(perimeter.region_ets.items())
    ]
    return RegionsPage(
        layout=layout(request, "Régions et GHT"),
        regions=found,
        composition=_composition(request) if perimeter.ght_names else None,
    )


def _territory(request: Request, entity: Entity, query: TableQuery) -> TerritoryPage:
    perimeter = _perimeter(request)
    built = table(_entries(request, entity), query, request.url.path.removesuffix(".json"))
    regions = geography().regions
    name = _name(perimeter, entity)
    if entity.kind == "ght":
        region_code = perimeter.ght_region.get(entity.id)
        region = regions.get(region_code or "")
        support, composition, ghts = *_ght_details(request, entity.id), []
    else:
        region_code, region = None, None
        support, ghts = None, _ghts_of(perimeter, entity.id)
        composition = _composition(request) if ghts else None
    base = f"/espace/{'ght' if entity.kind == 'ght' else 'regions'}/{entity.id}/export"
    return TerritoryPage(
        layout=layout(request, f"{name} : établissements"),
        kind=entity.kind,
        code=entity.id,
        name=name,
        region=Choice(code=region.code, label=region.name) if region else None,
        region_url=_region_url(request, perimeter, region_code),
        support=support,
        composition=composition,
        ghts=ghts,
        notes=[NOT_A_RANKING, PUBLISHED_ONLY],
        exports=territory_export.links(base, built),
        table=built,
    )


def _name(perimeter: Perimeter, entity: Entity) -> str:
    if entity.kind == "ght":
        return perimeter.ght_names[entity.id]
    region = geography().regions.get(entity.id)
    return f"Région {region.name}" if region else f"Région {entity.id}"


def _perimeter(request: Request) -> Perimeter:
    return store_of(request).prepared("perimeter")


def _entries(request: Request, entity: Entity) -> list[Entry]:
    """The entity's establishments with their results; each links to its private page when
    the visitor may open it (an ARS user, on a GHT whose member lies outside its region, gets
    that member's public page), else to the public one."""
    perimeter = _perimeter(request)
    numbers = sorted(perimeter.ets_of(entity))
    principal = visitor(request).principal
    private = rule.visible_ets(principal, perimeter, "unpublished")

    def url_of(finess: str) -> str:
        inside = private is rule.ALL or finess in private
        return f"/espace/etablissements/{finess}" if inside else f"/etablissements/{finess}"

    return entries(_results(request, entity, numbers), url_of)


def _results(request: Request, entity: Entity, numbers: list[str]) -> list[tuple]:
    """(registry row, results) of each establishment, as their public pages show them: from
    the book (about 1 ms an establishment, so kept for the state of the data: sorting, paging
    or exporting a region's table again costs nothing); without the copy (the baseline), from
    the warehouse each time."""
    store = store_of(request)
    if not store.copy:
        rows = establishments.establishment_rows(request, numbers)
        return [(r, establishments.results_of(request, r["finess_et"], None)[0]) for r in rows]
    kept = getattr(request.app.state, "territory_results", None)
    if kept is None:
        kept = request.app.state.territory_results = OrderedDict()
    key = (store.key, entity)
    found = kept.get(key)
    if found is None:
        book, rows = store.prepared("book"), establishments.establishment_rows(request, numbers)
        found = [(r, (book.values(r["finess_et"]) or ([], None))[0]) for r in rows]
        kept[key] = found
        while len(kept) > KEPT_TABLES:
            kept.popitem(last=False)
    return found


def _ghts_of(perimeter: Perimeter, region: str) -> list[GhtLink]:
    return [
        GhtLink(
            code=code,
            label=perimeter.ght_names[code],
            url=f"/espace/ght/{code}",
            establishments=len(perimeter.ght_ets[code]),
        )
        for code in sorted(perimeter.ght_names, key=lambda c: (perimeter.ght_names[c], c))
        if perimeter.ght_region.get(code) == region
    ]


def _ght_details(request: Request, code: str) -> tuple[str | None, str]:
    """(the name of the GHT's support establishment, where its composition comes from)."""
    with store_of(request).cursor() as con:
        found = con.execute(
            "SELECT support_finess_et, origin FROM ght_members WHERE ght_code = ? LIMIT 1", [code]
        ).fetchone()
    support, origin = found if found else (None, None)
    rows = establishments.establishment_rows(request, [support]) if support else []
    name = f"{rows[0]['name']} (FINESS {support})" if rows else support
    return name, origin_label(origin)


def _composition(request: Request) -> str:
    """Where the GHT composition comes from (one composition for every GHT)."""
    with store_of(request).cursor() as con:
        found = con.execute("SELECT origin FROM ght_members LIMIT 1").fetchone()
    return origin_label(found[0] if found else None)


def _region_url(request: Request, perimeter: Perimeter, region: str | None) -> str | None:
    """The region's page, if the visitor may open it (a link, not an access: not audited)."""
    if region is None:
        return None
    principal = visitor(request).principal
    decision = rule.decide(principal, Entity("region", region), "unpublished", perimeter)
    return f"/espace/regions/{region}" if decision.allowed else None


def _export(request: Request, entity: Entity, query: TableQuery, fmt: str) -> Response:
    """Every row of the table (same filters, same order), after the same `authorise`."""
    authorise(request, entity, "unpublished")
    path = request.url.path.rsplit("/", 1)[0]
    built = table(_entries(request, entity), query, path, page_size=None)
    name = _name(_perimeter(request), entity)
    return territory_export.download(built, fmt, f"{entity.kind}-{entity.id}", name)


@router.get(
    "/espace/ght/{code}/export.csv",
    summary="Tableau des établissements d'un GHT en CSV pour Excel (connexion requise)",
    **EXPORT_CSV,
)
def ght_csv(request: Request, code: GhtCode, query: Chosen) -> Response:
    return _export(request, Entity("ght", code), query, "csv-excel")


@router.get(
    "/espace/ght/{code}/export.xlsx",
    summary="Tableau des établissements d'un GHT en classeur Excel (connexion requise)",
    **EXPORT_XLSX,
)
def ght_xlsx(request: Request, code: GhtCode, query: Chosen) -> Response:
    return _export(request, Entity("ght", code), query, "xlsx")


@router.get(
    "/espace/regions/{code}/export.csv",
    summary="Tableau des établissements d'une région en CSV pour Excel (connexion requise)",
    **EXPORT_CSV,
)
def region_csv(request: Request, code: RegionCode, query: Chosen) -> Response:
    return _export(request, Entity("region", code), query, "csv-excel")


@router.get(
    "/espace/regions/{code}/export.xlsx",
    summary="Tableau des établissements d'une région en classeur Excel (connexion requise)",
    **EXPORT_XLSX,
)
def region_xlsx(request: Request, code: RegionCode, query: Chosen) -> Response:
    return _export(request, Entity("region", code), query, "xlsx")
