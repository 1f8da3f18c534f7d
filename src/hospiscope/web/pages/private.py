"""The private spaces' pages. Each asks the one rule first (web/auth.py `authorise`, which
writes the access to the audit trail), then reuses the portal's page builders and templates:
a private page is a public page plus what only its audience may see.

For now: an establishment's results page for the accounts that cover it (its own users, its
GHT, its ARS, the national team) — the review of unpublished campaigns comes next."""

from __future__ import annotations

from fastapi import APIRouter, Request

from hospiscope.access.perimeter import Entity
from hospiscope.web.auth import authorise
from hospiscope.web.pages import establishments
from hospiscope.web.pages.establishments import FINESS, EstablishmentPage, Source
from hospiscope.web.twins import page

router = APIRouter(tags=["espaces privés"])


@page(
    router,
    "/espace/etablissements/{finess}",
    template="establishment.html",
    model=EstablishmentPage,
    summary="Résultats d'un établissement dans son espace privé (connexion requise)",
    private=True,
)
def private_establishment(
    request: Request, finess: FINESS, source: Source = None
) -> EstablishmentPage:
    authorise(request, Entity("etablissement", finess), "unpublished")
    return establishments.establishment(request, finess, source)
