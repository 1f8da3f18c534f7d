"""An establishment's page in the private spaces, and its side of the review. The page asks the
one rule first (web/auth.py `authorise`, which writes the access to the audit trail), then shows
every result the rule lets this visitor see campaign by campaign (web/private_results.py: the
establishment itself and the national team see the campaigns not yet published), with the
state of each campaign's review. The establishment's own accounts accept or contest their
results there while the contest window is open (forms: CSRF, audited, Post/Redirect/Get).

It reuses the public page's builder and template: a private page is the public page plus what
only its audience may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from hospiscope.access import audit, contests, rule
from hospiscope.access.perimeter import Entity
from hospiscope.access.review import IN_REVIEW
from hospiscope.catalogue import catalogue_meta
from hospiscope.web.auth import access_of, authorise, check_form_token, form_token
from hospiscope.web.errors import WebError
from hospiscope.web.pages import establishments
from hospiscope.web.pages.establishments import FINESS, EstablishmentPage
from hospiscope.web.private_results import (
    allowed_campaigns,
    publication_labels,
    visible_values,
)
from hospiscope.web.review_actions import (
    CSRF,
    REVIEW_ERRORS,
    Campaign,
    Family,
    apply_review_change,
)
from hospiscope.web.review_view import CampaignReview, campaign_reviews
from hospiscope.web.twins import page

# Which action was just made (the confirmation shown after a form's redirect).
Done = Annotated[str | None, Query(max_length=20, pattern=r"^[a-z-]*$")]
router = APIRouter(tags=["espaces privés"])

ONLY_THE_ESTABLISHMENT = (
    "Seuls les comptes de l'établissement acceptent ou contestent ses résultats."
)
DONE = {"acceptation": "Résultats acceptés.", "contestation": "Contestation enregistrée."}


class PrivateEstablishmentPage(EstablishmentPage):
    publication: dict[str, str]  # indicator → state of the campaign shown, when unpublished
    review: list[CampaignReview] | None  # None: the review is not this visitor's (GHT, ARS)
    csrf: str
    done: str | None = None  # the confirmation of the action just made


@page(
    router,
    "/espace/etablissements/{finess}",
    template="establishment.html",
    model=PrivateEstablishmentPage,
    summary="Résultats d'un établissement dans son espace privé, et leur revue (connexion requise)",
    private=True,
)
def private_establishment(
    request: Request, finess: FINESS, fait: Done = None
) -> PrivateEstablishmentPage:
    entity = Entity("etablissement", finess)
    who = authorise(request, entity, "unpublished")
    row = establishments.identity_row(request, finess)
    allowed = allowed_campaigns(request, who.principal, entity)
    protect = not sees_unpublished(request, who, entity)  # GHT, ARS: seen beyond the ET
    values, notices = visible_values(request, finess, allowed, protect=protect)
    reviews = None
    if _sees_review(request, who, entity):
        with access_of(request).transaction() as con:
            reviews = campaign_reviews(con, finess, values, may_act=_may_act(who))
    public = establishments.establishment_page(request, row, values, notices)
    return PrivateEstablishmentPage(
        **dict(public),
        publication=publication_labels(request, values),
        review=reviews,
        csrf=form_token(request),
        done=DONE.get(fait or ""),
    )


@router.post(
    "/espace/etablissements/{finess}/revue/acceptation",
    summary="Accepter ses résultats d'une campagne en revue (formulaire)",
    responses={303: {"description": "accepté"}, **REVIEW_ERRORS},
)
def accept_results(
    request: Request, finess: FINESS, campagne: Campaign, famille: Family, csrf: CSRF = None
) -> Response:
    who, entity = _reviewer(request, finess, csrf)
    apply_review_change(request, who, audit.REVIEW_ACCEPT, entity, lambda con: contests.accept(
        con, campagne, famille, finess, actor=who.principal.login))  # fmt: skip
    return _back(finess, "acceptation")


@router.post(
    "/espace/etablissements/{finess}/revue/contestation",
    summary="Contester un résultat d'une campagne en revue, avec un motif (formulaire)",
    responses={303: {"description": "contestation enregistrée"}, **REVIEW_ERRORS},
)
def contest_result(
    request: Request,
    finess: FINESS,
    campagne: Campaign,
    famille: Family,
    indicateur: Annotated[str, Form(max_length=40, pattern=r"^[A-Z0-9_]+$")],
    motif: Annotated[str, Form(max_length=2000)],
    csrf: CSRF = None,
) -> Response:
    who, entity = _reviewer(request, finess, csrf)
    meta = catalogue_meta().get(indicateur)
    if meta is None or meta.domain != famille:
        raise WebError(
            400, "invalid_parameter", f"indicateur inconnu dans cette famille : {indicateur}"
        )
    apply_review_change(request, who, audit.REVIEW_CONTEST, entity, lambda con: contests.contest(
        con, campagne, famille, finess, indicateur, motif, actor=who.principal.login))  # fmt: skip
    return _back(finess, "contestation")


def _reviewer(request: Request, finess: str, csrf: str | None):
    """The visitor, if the form is theirs and they may act on this establishment's review."""
    check_form_token(request, csrf)
    entity = Entity("etablissement", finess)
    who = authorise(request, entity, "review")
    if who.principal.role != "etablissement":
        raise WebError(403, "forbidden", ONLY_THE_ESTABLISHMENT)
    return who, entity


def sees_unpublished(request: Request, who, entity: Entity) -> bool:
    """The establishment itself and the national team: every campaign, counts unmasked (the
    establishment's own data); the others (GHT, ARS) see results as seen beyond it."""
    perimeter = request.app.state.store.prepared("perimeter")
    decision = rule.decide(
        who.principal, entity, "unpublished", perimeter, campaign_state=IN_REVIEW
    )
    return decision.allowed


def _sees_review(request: Request, who, entity: Entity) -> bool:
    """The review of this establishment's results (states, contests and answers): the one
    rule's kind `review` — the establishment itself and the national team."""
    perimeter = request.app.state.store.prepared("perimeter")
    return rule.decide(who.principal, entity, "review", perimeter).allowed


def _may_act(who) -> bool:
    """Whether the page offers the forms (to a visitor who sees the review): the
    establishment's own accounts (the national team answers from its own page)."""
    return who.principal.role == "etablissement"


def _back(finess: str, done: str) -> Response:
    return RedirectResponse(f"/espace/etablissements/{finess}?fait={done}#revue", status_code=303)
