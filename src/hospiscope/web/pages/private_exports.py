"""The download of an establishment's results from its private space: what its private page
shows, through the same call of the one rule (audited) — for the establishment itself and the
national team every campaign, published or not, with its review state and its counts unmasked
(the establishment's own data); for a GHT or an ARS the published results, as seen beyond the
establishment (the public export's rows)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hospiscope.access.perimeter import Entity
from hospiscope.web.auth import authorise
from hospiscope.web.pages import establishments
from hospiscope.web.pages.establishments import FINESS
from hospiscope.web.pages.exports import FILES, RESULT_COLUMNS, download
from hospiscope.web.pages.private import sees_unpublished
from hospiscope.web.private_results import allowed_campaigns, visible_rows
from hospiscope.web.twins import PRIVATE_ERRORS

router = APIRouter(tags=["espaces privés"])
# Unmasked counts (no `counts_hidden`), and the review state of each row's campaign.
PRIVATE_COLUMNS = {
    **{column: name for column, name in RESULT_COLUMNS.items() if column != "counts_hidden"},
    "publication": "etat_publication",
}
Format = Annotated[
    Literal["csv", "csv-excel", "xlsx", "parquet"],
    Query(alias="format", description="csv, csv-excel (défaut), xlsx, parquet"),
]


@router.get(
    "/espace/etablissements/{finess}/resultats",
    summary="Résultats d'un établissement depuis son espace privé (toutes les campagnes que "
    "votre rôle permet de voir)",
    response_class=Response,
    responses={200: FILES, **PRIVATE_ERRORS},
)
def private_results(request: Request, finess: FINESS, fmt: Format = "csv-excel") -> Response:
    entity = Entity("etablissement", finess)
    who = authorise(request, entity, "unpublished")
    establishments.identity_row(request, finess)
    allowed = allowed_campaigns(request, who.principal, entity)
    if sees_unpublished(request, who, entity):
        frame = visible_rows(request, finess, allowed)
        columns, what = PRIVATE_COLUMNS, "toutes les campagnes, publiées ou non"
    else:  # GHT, ARS: as seen beyond the establishment
        frame = visible_rows(request, finess, allowed, protect=True)
        columns = {**RESULT_COLUMNS, "publication": "etat_publication"}
        what = "campagnes publiées et diagnostics privés, petits effectifs masqués"
    return download(frame, fmt, f"resultats-prives-{finess}", columns,
                    f"résultats de l'établissement {finess} ({what})")  # fmt: skip
