"""Downloads of the portal's lists and results in CSV (plain, or for French Excel), XLSX and
Parquet, with their provenance (results/exports.py), and the bulk open-data file of a
campaign: every stored result of that campaign, every level."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from hospiscope.results.exports import FORMATS, export, filename
from hospiscope.web.pages import compare, establishments
from hospiscope.web.pages.common import store_of
from hospiscope.web.values import selected

router = APIRouter(tags=["exports"])
Format = Annotated[
    Literal["csv", "csv-excel", "xlsx", "parquet"],
    Query(
        alias="format",
        description="csv, csv-excel (point-virgule, virgule décimale), xlsx, parquet",
    ),
]
LICENCE = "Licence Ouverte / Etalab 2.0"
FILES = {code: {"content": {f.media_type.split(";")[0]: {}}} for code, f in FORMATS.items()}
ESTABLISHMENT_COLUMNS = {
    "finess": "finess_et",
    "name": "nom",
    "postcode": "code_postal",
    "city": "commune",
    "department": "departement",
    "region": "region",
    "type": "type",
    "legal_status": "statut",
    "activities": "activites",
    "certification": "certification",
    "distance_km": "distance_km",
}
RESULT_COLUMNS = {
    "indicator_code": "indicateur",
    "period": "periode",
    "entity_kind": "niveau",
    "entity_id": "entite",
    "numerator": "numerateur",
    "denominator": "denominateur",
    "counts_hidden": "effectifs_masques",
    "value": "valeur",
    "ci_low": "ic_bas",
    "ci_high": "ic_haut",
    "ci_level": "niveau_ic",
    "ci_method": "methode_ic",
    "class": "classe",
    "status": "statut",
    "method_version": "version_methode",
    "origin": "origine",
    "computed_at": "calcule_le",
}


def download(frame: pd.DataFrame, fmt: str, stem: str, columns: dict, what: str) -> Response:
    provenance = {
        "contenu": what,
        "source": "hospiscope, d'après FINESS et la HAS (IQSS, e-Satis, certification)",
        "extraction": dt.datetime.now().isoformat(timespec="seconds"),
        "licence": LICENCE,
    }
    body = export(frame, fmt, provenance=provenance, columns=columns)
    name = filename(stem, fmt)
    return Response(
        body,
        media_type=FORMATS[fmt].media_type,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/exports/etablissements",
    summary="Liste d'établissements (mêmes paramètres que /recherche)",
    response_class=Response,
    responses={200: FILES},
)
def establishment_list(
    request: Request,
    fmt: Format,
    q: establishments.Text = "",
    departement: establishments.Code = None,
    region: establishments.Code = None,
    type: establishments.Code = None,
    activite: establishments.Code = None,
    certification: establishments.Code = None,
    pres_de: Annotated[str, Query(max_length=80)] = "",
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    rayon: Annotated[float, Query(gt=0, le=300)] = 30,
) -> Response:
    found = establishments.all_matches(
        request, q, departement, region, type, activite, certification, pres_de, lat, lon, rayon
    )
    frame = pd.DataFrame([card.model_dump() for card in found])
    if frame.empty:
        frame = pd.DataFrame(columns=list(ESTABLISHMENT_COLUMNS))
    frame["activities"] = frame["activities"].map(lambda a: " ".join(a) if a else "")
    return download(frame, fmt, "etablissements", ESTABLISHMENT_COLUMNS, "liste d'établissements")


@router.get(
    "/exports/etablissements/{finess}/resultats",
    summary="Résultats d'un établissement",
    response_class=Response,
    responses={200: FILES},
)
def establishment_results(request: Request, finess: establishments.FINESS, fmt: Format) -> Response:
    establishments.identity_row(request, finess)  # 404 in the error shape when unknown
    with store_of(request).cursor() as con:
        frame = selected(con, None, entity_kind="etablissement", entity_id=finess)
    return download(
        frame, fmt, f"resultats-{finess}", RESULT_COLUMNS, f"résultats de l'établissement {finess}"
    )


@router.get(
    "/exports/comparaison",
    summary="Résultats des établissements comparés (mêmes paramètres que /comparer)",
    response_class=Response,
    responses={200: FILES},
)
def comparison(request: Request, fmt: Format, finess: compare.Numbers = ()) -> Response:
    numbers = list(dict.fromkeys(finess))
    for number in numbers:
        establishments.identity_row(request, number)  # 404 in the error shape when unknown
    with store_of(request).cursor() as con:
        frames = [
            selected(con, None, entity_kind="etablissement", entity_id=number) for number in numbers
        ]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frame.empty:
        frame = pd.DataFrame(columns=list(RESULT_COLUMNS))
    return download(
        frame, fmt, "comparaison", RESULT_COLUMNS, f"résultats de {', '.join(numbers)}"
    )


@router.get(
    "/exports/campagnes/{campagne}",
    summary="Fichier ouvert d'une campagne : tous les résultats, tous niveaux",
    response_class=Response,
    responses={200: FILES},
)
def campaign_bulk(
    request: Request,
    campagne: Annotated[int, Path(ge=2000, le=2100, description="année de campagne")],
    fmt: Format,
) -> Response:
    with store_of(request).cursor() as con:
        frame = selected(con, None, campaign=campagne)
    if frame.empty:
        from hospiscope.web.errors import not_found

        raise not_found("no_results", f"aucun résultat pour la campagne {campagne}")
    return download(
        frame,
        fmt,
        f"hospiscope-resultats-{campagne}",
        RESULT_COLUMNS,
        f"tous les résultats de la campagne {campagne}",
    )
