"""The national team's review page: every computed campaign and family with its review state,
the transitions it allows (open the review, publish, withdraw with a reason), and the
establishments' contests with their answers. Kind `review` of the one rule on the nation: the
national team only. The forms are audited and refused ones say why (web/review_actions.py);
publishing or withdrawing changes what the public portal shows from the next request on."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from hospiscope.access import audit, contests, review
from hospiscope.access.perimeter import NATION
from hospiscope.access.review import IN_REVIEW, PUBLISHED, TRANSITIONS, WITHDRAWN
from hospiscope.catalogue import catalogue_meta
from hospiscope.catalogue.pages import DOMAINS
from hospiscope.web.auth import access_of, authorise, check_form_token, form_token
from hospiscope.web.pages.common import Choice, Layout, layout, store_of
from hospiscope.web.review_actions import CSRF, REVIEW_ERRORS, Campaign, Family, apply_review_change
from hospiscope.web.review_view import ContestView, contest_view
from hospiscope.web.twins import page

# Which action was just made (the confirmation shown after a form's redirect).
Done = Annotated[str | None, Query(max_length=20, pattern=r"^[a-z-]*$")]
router = APIRouter(tags=["espace national"])

ACTIONS = {IN_REVIEW: "Ouvrir la revue", PUBLISHED: "Publier", WITHDRAWN: "Retirer"}
AUDIT_ACTIONS = {IN_REVIEW: audit.REVIEW_OPEN, PUBLISHED: audit.REVIEW_PUBLISH,
                 WITHDRAWN: audit.REVIEW_WITHDRAW}  # fmt: skip
DONE = {"etat": "État de la campagne changé.", "reponse": "Réponse enregistrée."}
Text = Annotated[str | None, Form(max_length=2000)]


class ReviewRow(BaseModel):
    campaign: int
    family: str
    family_label: str
    state: str
    state_label: str
    changed_at: str | None
    changed_by: str | None
    window_closes: str | None
    acceptances: int
    open_contests: int
    answered_contests: int
    actions: list[Choice]  # the states it may move to (code) and the button's label


class ContestRow(ContestView):
    campaign: int
    family_label: str
    finess: str
    establishment: str


class NationalReviewPage(BaseModel):
    layout: Layout
    campaigns: list[ReviewRow]
    contests: list[ContestRow]  # unanswered first, then the answered ones
    csrf: str
    done: str | None = None


@page(
    router,
    "/espace/national/revue",
    template="national_review.html",
    model=NationalReviewPage,
    summary="Revue et publication des campagnes, contestations (équipe nationale)",
    private=True,
)
def national_review(request: Request, fait: Done = None) -> NationalReviewPage:
    authorise(request, NATION, "review")
    index = store_of(request).prepared("search")
    with access_of(request).transaction() as con:
        rows = [_row(review.status(con, c, f)) for c, f in store_of(request).computed]
        found = contests.every_contest(con)
    metas = catalogue_meta()
    found.sort(key=lambda c: (c.answer is not None, c.id))
    return NationalReviewPage(
        layout=layout(request, "Revue et publication"),
        campaigns=rows,
        contests=[
            ContestRow(
                **dict(contest_view(c, metas)),
                campaign=c.campaign,
                family_label=DOMAINS.get(c.family, c.family),
                finess=c.finess_et,
                establishment=(index.establishment(c.finess_et) or {}).get("name") or c.finess_et,
            )
            for c in found
        ],
        csrf=form_token(request),
        done=DONE.get(fait or ""),
    )


@router.post(
    "/espace/national/revue/etat",
    summary="Changer l'état d'une campagne : ouvrir la revue, publier, retirer (formulaire)",
    responses={303: {"description": "état changé"}, **REVIEW_ERRORS},
)
def change_state(
    request: Request,
    campagne: Campaign,
    famille: Family,
    etat: Annotated[Literal["en_revue", "publie", "retire"], Form()],
    motif: Text = None,
    forcer: Annotated[bool, Form()] = False,
    csrf: CSRF = None,
) -> Response:
    check_form_token(request, csrf)
    who = authorise(request, NATION, "review")
    apply_review_change(request, who, AUDIT_ACTIONS[etat], NATION, lambda con: review.transition(
        con, campagne, famille, etat, actor=who.principal.login, reason=motif,
        force=forcer))  # fmt: skip
    return RedirectResponse("/espace/national/revue?fait=etat", status_code=303)


@router.post(
    "/espace/national/contestations/{contest}/reponse",
    summary="Répondre à une contestation d'un établissement (formulaire)",
    responses={303: {"description": "réponse enregistrée"}, **REVIEW_ERRORS},
)
def answer_contest(
    request: Request,
    contest: Annotated[int, Path(ge=1)],
    decision: Annotated[Literal["acceptee", "rejetee"], Form()],
    reponse: Annotated[str, Form(max_length=2000)],
    csrf: CSRF = None,
) -> Response:
    check_form_token(request, csrf)
    who = authorise(request, NATION, "review")
    apply_review_change(request, who, audit.REVIEW_ANSWER, NATION, lambda con: contests.answer(
        con, contest, accepted=decision == "acceptee", text=reponse,
        actor=who.principal.login))  # fmt: skip
    return RedirectResponse("/espace/national/revue?fait=reponse#contestations", status_code=303)


def _row(status: review.Status) -> ReviewRow:
    return ReviewRow(
        campaign=status.campaign,
        family=status.family,
        family_label=DOMAINS.get(status.family, status.family),
        state=status.state,
        state_label=review.STATE_LABELS[status.state],
        changed_at=status.changed_at,
        changed_by=status.changed_by,
        window_closes=status.window_closes.date().isoformat() if status.window_closes else None,
        acceptances=status.acceptances,
        open_contests=status.open_contests,
        answered_contests=status.answered_contests,
        actions=[
            Choice(code=to, label=label)
            for to, label in ACTIONS.items()
            if (status.state, to) in TRANSITIONS
        ],
    )
