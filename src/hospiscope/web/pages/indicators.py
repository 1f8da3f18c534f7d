"""The indicators: the catalogue, one page per indicator — its definition as the catalogue
documentation generates it, how to read it, the SQL that computes it, and for a campaign its
national value, the distribution of establishments by class, the histogram of their values,
the funnel plot, the results by region, type, size and legal status and the list of
establishments — and that list on its own page, with filters and pages."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from hospiscope.catalogue import catalogue_meta, get_meta
from hospiscope.results.answer import answer
from hospiscope.sources.finess import legal_status as ls
from hospiscope.web import charts, indicator_data, indicator_funnel
from hospiscope.web.charts_histogram import histogram_svg
from hospiscope.web.errors import not_found
from hospiscope.web.funnel_model import Funnel
from hospiscope.web.indicator_list import EstablishmentList, Filters, establishment_list
from hospiscope.web.indicator_parts import (
    Distribution,
    GroupTable,
    distribution,
    group_tables,
)
from hospiscope.web.indicator_spread import Spread, StatusTable, spread, status_table
from hospiscope.web.method_sql import MethodSql, method_sql
from hospiscope.web.pages.common import Layout, layout, store_of
from hospiscope.web.reading_guide import reading_guide
from hospiscope.web.twins import page
from hospiscope.web.values import Notices, notices, number

router = APIRouter(tags=["indicateurs"])
PAGE_SIZE = 30
Code = Annotated[str, Path(pattern=r"^[A-Za-z][A-Za-z0-9_]{2,40}$", description="code")]
Campagne = Annotated[
    str | None,
    Query(pattern=r"^[0-9A-Za-z-]{1,20}$", description="période (défaut : la plus récente)"),
]
Source = Annotated[
    Literal["calcul", "publie"] | None,
    Query(description="résultats calculés ou publiés (défaut : la règle de la ligne de commande)"),
]
Group = Annotated[str | None, Query(pattern=r"^[0-9A-Za-z_]{1,12}$")]
Statut = Annotated[
    Literal[ls.PUBLIC, ls.NON_PROFIT, ls.FOR_PROFIT, ls.UNKNOWN] | None,
    Query(description="statut juridique"),
]
Classe = Annotated[
    str | None, Query(pattern=r"^[0-9A-Za-z_]{1,40}$", description="classe ou statut")
]
Tri = Annotated[
    Literal["nom", "commune", "valeur_croissante", "valeur_decroissante"],
    Query(description="ordre de la liste (défaut : nom ; jamais par résultat sans le demander)"),
]
PageNumber = Annotated[int, Query(ge=1, le=10000)]


class IndicatorSummary(BaseModel):
    code: str
    label: str
    short_label: str
    domain: str
    unit: str
    url: str


class CatalogueList(BaseModel):
    layout: Layout
    indicators: list[IndicatorSummary]


class NationalValue(BaseModel):
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None
    ci_high: float | None
    method_version: str
    origin: str


class Charts(BaseModel):
    """The SVG drawings of the HTML page (the twin carries their data instead)."""

    distribution: str | None = None
    histogram: str | None = None
    funnel: str | None = None


class IndicatorPage(BaseModel):
    layout: Layout
    code: str
    kind: str
    unit: str
    direction: str
    definition: dict[str, Any]
    reading: list[str]
    method: MethodSql
    campaigns: list[str]
    campaign: str | None
    source: str | None
    notices: Notices
    national: list[NationalValue]
    current: NationalValue | None
    distribution: Distribution | None
    spread: Spread | None  # the establishments' values: histogram, quartiles
    funnel: Funnel | None
    funnel_missing: str | None
    groups: list[GroupTable]
    statuses: StatusTable | None  # by legal status: quartiles (and the engine's value, if any)
    establishments: EstablishmentList | None
    list_url: str | None
    map_url: str | None
    charts: Charts = Field(default_factory=Charts, exclude=True)


class EstablishmentsPage(BaseModel):
    layout: Layout
    code: str
    label: str
    kind: str
    unit: str
    campaign: str
    campaigns: list[str]
    source: str | None
    notices: Notices
    establishments: EstablishmentList
    indicator_url: str


@cache
def _pages() -> dict[str, dict[str, Any]]:
    from hospiscope.reports.catalogue_docs import catalogue_pages

    return {page["code"]: page for page in catalogue_pages(with_sql=False)}


@page(
    router,
    "/indicateurs",
    template="indicators.html",
    model=CatalogueList,
    summary="Catalogue des indicateurs",
)
def indicators(request: Request) -> CatalogueList:
    indicator_funnel.warm_up()
    items = [
        IndicatorSummary(
            code=m.code,
            label=m.label,
            short_label=m.short_label,
            domain=m.domain,
            unit=m.unit,
            url=f"/indicateurs/{m.code}",
        )
        for m in catalogue_meta().values()
    ]
    return CatalogueList(layout=layout(request, "Indicateurs"), indicators=items)


@page(
    router,
    "/indicateurs/{code}",
    template="indicator.html",
    model=IndicatorPage,
    summary="Un indicateur : définition, calcul et résultats d'une campagne",
)
def indicator(
    request: Request, code: Code, campagne: Campagne = None, source: Source = None
) -> IndicatorPage:
    indicator_funnel.warm_up()
    definition = _definition(code)
    meta = get_meta(definition["code"])
    store = store_of(request)
    state = indicator_data.state_of(store)
    with store.cursor() as con:
        campaigns = indicator_data.periods(con, meta.code, source, state)
        period = _chosen(campaigns, campagne)
        history = indicator_data.national_history(
            con, meta.code, source, indicator_data.state_of(store)
        )
        found = indicator_data.campaign(con, meta.code, period, source, state) if period else None
        hashes = _computed_hashes(found)
        method = method_sql(con, meta.code, hashes)
        shown = _notices(found, con, meta.code, source)
    built = IndicatorPage(
        layout=layout(request, definition["label"]),
        code=meta.code,
        kind=meta.kind,
        unit=meta.unit,
        direction=meta.direction.value,
        definition=definition,
        reading=reading_guide(meta, period),
        method=method,
        campaigns=campaigns,
        campaign=period,
        source=source,
        notices=shown,
        national=[_national(r) for r in history.to_dict("records")],
        current=_national(found.national) if found and found.national else None,
        distribution=None,
        spread=None,
        funnel=None,
        funnel_missing=None,
        groups=[],
        statuses=None,
        establishments=None,
        list_url=None,
        map_url=None,
    )
    if found is not None:
        _campaign_parts(built, meta, found)
    return built


def _campaign_parts(built: IndicatorPage, meta, found: indicator_data.Campaign) -> None:
    list_url = _list_url(meta.code, found.period, built.source)
    built.list_url = list_url
    built.groups = group_tables(found, list_url)
    built.statuses = status_table(meta, found, list_url)
    if not found.establishments.empty:
        built.distribution = distribution(meta, found)
        built.spread = spread(meta, found)
        if built.spread is not None:
            built.charts.histogram = histogram_svg(built.spread, meta.unit)
        built.establishments = establishment_list(
            meta, found, Filters(), sort="nom", page=1, page_size=PAGE_SIZE
        )
        if "funnel" not in found.memo:
            found.memo["funnel"] = indicator_funnel.funnel(
                meta, found.establishments, found.national
            )
        drawn = found.memo["funnel"]
        if isinstance(drawn, Funnel):
            built.funnel = drawn
            built.charts.funnel = charts.funnel_svg(drawn, meta.code.lower())
        else:
            built.funnel_missing = drawn
        if built.distribution.classed:  # statuses are in the table: a share of another total
            built.charts.distribution = charts.bars_svg(built.distribution.classes)
    if any(table.kind == "region" for table in built.groups):
        built.map_url = "/carte?" + urlencode({"indicateur": meta.code, "campagne": found.period})


@page(
    router,
    "/indicateurs/{code}/etablissements",
    template="indicator_establishments.html",
    model=EstablishmentsPage,
    summary="Les établissements d'un indicateur pour une campagne (filtres, pages)",
)
def indicator_establishments(
    request: Request,
    code: Code,
    campagne: Campagne = None,
    source: Source = None,
    region: Group = None,
    departement: Group = None,
    type: Group = None,
    taille: Group = None,
    statut: Statut = None,
    classe: Classe = None,
    tri: Tri = "nom",
    page: PageNumber = 1,
) -> EstablishmentsPage:
    definition = _definition(code)
    meta = get_meta(definition["code"])
    store = store_of(request)
    state = indicator_data.state_of(store)
    with store.cursor() as con:
        campaigns = indicator_data.periods(con, meta.code, source, state)
        period = _chosen(campaigns, campagne)
        if period is None:
            raise not_found("no_results", f"aucun résultat pour l'indicateur {meta.code}")
        found = indicator_data.campaign(
            con, meta.code, period, source, indicator_data.state_of(store)
        )
    filters = Filters(
        region=region,
        departement=departement,
        type=type,
        taille=taille,
        statut=statut,
        classe=classe,
    )
    listed = establishment_list(meta, found, filters, sort=tri, page=page, page_size=PAGE_SIZE)
    return EstablishmentsPage(
        layout=layout(request, f"{meta.short_label} : établissements"),
        code=meta.code,
        label=meta.label,
        kind=meta.kind,
        unit=meta.unit,
        campaign=period,
        campaigns=campaigns,
        source=source,
        notices=notices(found.found),
        establishments=listed,
        indicator_url=f"/indicateurs/{meta.code}?"
        + urlencode({"campagne": period, **({"source": source} if source else {})}),
    )


def _definition(code: str) -> dict[str, Any]:
    definition = _pages().get(code.upper())
    if definition is None:
        raise not_found("unknown_indicator", f"indicateur inconnu : « {code} »")
    return definition


def _chosen(campaigns: list[str], asked: str | None) -> str | None:
    """The campaign asked for (it must have results), else the latest one."""
    if asked is None:
        return campaigns[0] if campaigns else None
    if asked not in campaigns:
        known = ", ".join(campaigns) or "aucune"
        raise not_found(
            "unknown_campaign",
            f"aucun résultat pour la campagne « {asked} » ; campagnes disponibles : {known}",
        )
    return asked


def _list_url(code: str, period: str, source: str | None) -> str:
    query = {"campagne": period, **({"source": source} if source else {})}
    return f"/indicateurs/{code}/etablissements?{urlencode(query)}"


def _computed_hashes(found: indicator_data.Campaign | None) -> set[str]:
    if found is None:
        return set()
    frame = found.found.frame
    return set(frame.loc[frame["origin"] == "calcul", "definition_hash"].dropna())


def _notices(found: indicator_data.Campaign | None, con, code: str, source) -> Notices:
    """The campaign's notices; with no campaign, why there is nothing (the results layer's
    sentence: nothing stored, or only under the other source)."""
    if found is None:
        return notices(answer(con, source=source, indicator=code))
    return notices(found.found)


def _national(row: dict) -> NationalValue:
    return NationalValue(
        period=row["period"],
        value=number(row["value"]),
        numerator=number(row["numerator"]),
        denominator=number(row["denominator"]),
        ci_low=number(row["ci_low"]),
        ci_high=number(row["ci_high"]),
        method_version=str(row["method_version"]),
        origin=row["origin"],
    )
