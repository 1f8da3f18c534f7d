"""The national team's pages: the state of every campaign and family (computed, in review,
published, withdrawn — from the access database), the import runs and computations of the
warehouse, and the audit trail. Each asks the one rule first (kinds `operations`, `audit`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from hospiscope.access import audit, review
from hospiscope.access.perimeter import NATION
from hospiscope.catalogue import catalogue_meta
from hospiscope.results.selection import campaign_of
from hospiscope.warehouse.kinds import kind_label
from hospiscope.web.auth import access_of, authorise
from hospiscope.web.national_checks import Check, national_checks
from hospiscope.web.pages.common import Layout, layout, store_of
from hospiscope.web.twins import page

router = APIRouter(tags=["espace national"])
# What each recorded action reads as (French); others are shown as recorded.
ACTION_LABELS = {
    audit.SIGN_IN: "connexion",
    audit.SIGN_OUT: "déconnexion",
    audit.PRIVATE_ACCESS: "accès à des données privées",
    audit.ACCOUNT_ADD: "compte créé",
    audit.ACCOUNT_DISABLE: "compte désactivé",
    audit.ACCOUNT_ENABLE: "compte réactivé",
    audit.ACCOUNT_ROLE: "rôle changé",
    audit.ACCOUNT_PASSWORD: "mot de passe changé",
    audit.TOKEN_ISSUE: "jeton d'accès créé",
    audit.TOKEN_REVOKE: "jeton d'accès révoqué",
    audit.TOKEN_USE: "jeton d'accès présenté",
    audit.REVIEW_OPEN: "revue ouverte",
    audit.REVIEW_PUBLISH: "campagne publiée",
    audit.REVIEW_WITHDRAW: "campagne retirée",
    audit.REVIEW_ACCEPT: "résultats acceptés",
    audit.REVIEW_CONTEST: "résultat contesté",
    audit.REVIEW_ANSWER: "réponse à une contestation",
}
RUNS_SHOWN = 30
EVENTS_SHOWN = 200


class CampaignState(BaseModel):
    campaign: int
    family: str
    state: str
    state_label: str
    results: int  # establishment results computed for it
    open_contests: int


class ImportRun(BaseModel):
    run: int
    kind: str
    file: str
    rows_accepted: int | None
    rows_rejected: int | None
    finished_at: str | None


class Computation(BaseModel):
    computation: int
    engine: str
    finished_at: str | None
    seconds: float | None


class NationalPage(BaseModel):
    layout: Layout
    checks: list[Check]
    campaigns: list[CampaignState]
    imports: list[ImportRun]
    computations: list[Computation]


class Event(BaseModel):
    seq: int
    at: str
    actor: str | None
    role: str | None
    action: str
    action_label: str
    outcome: str
    entity: str | None
    route: str | None
    client: str | None
    details: dict


class AuditPage(BaseModel):
    layout: Layout
    user: str | None
    events: list[Event]
    shown: int  # at most EVENTS_SHOWN


@page(
    router,
    "/espace/national",
    template="national.html",
    model=NationalPage,
    summary="Campagnes, importations et calculs (équipe nationale)",
    private=True,
)
def national(request: Request) -> NationalPage:
    authorise(request, NATION, "operations")
    with store_of(request).cursor(private=True) as con:
        counts = con.execute(
            """SELECT indicator_code, period, count(*) FROM portal_results
            WHERE entity_kind = 'etablissement' GROUP BY ALL"""
        ).fetchall()
        imports = con.execute(
            f"""SELECT run_id, kind, source_file, rows_accepted, rows_rejected, finished_at
            FROM import_runs ORDER BY run_id DESC LIMIT {RUNS_SHOWN}"""
        ).fetchall()
        computations = con.execute(
            f"""SELECT computation_id, engine, finished_at, duration_s FROM computation_runs
            ORDER BY computation_id DESC LIMIT {RUNS_SHOWN}"""
        ).fetchall()
        with access_of(request).transaction() as access:
            checks = national_checks(con, access, store_of(request).computed)
    return NationalPage(
        layout=layout(request, "Espace national"),
        checks=checks,
        campaigns=_campaigns(request, counts),
        imports=[
            ImportRun(
                run=r,
                kind=kind_label(k),
                file=f,
                rows_accepted=a,
                rows_rejected=j,
                finished_at=str(t) if t else None,
            )
            for r, k, f, a, j, t in imports
        ],
        computations=[
            Computation(computation=c, engine=e, finished_at=str(t) if t else None, seconds=s)
            for c, e, t, s in computations
        ],
    )


def _campaigns(request: Request, counts: list[tuple]) -> list[CampaignState]:
    """(campaign, family) of the computed establishment results, with their review state."""
    metas = catalogue_meta()
    results: dict[tuple[int, str], int] = {}
    for code, period, count in counts:
        campaign, meta = campaign_of(period), metas.get(code)
        if campaign is not None and meta is not None:
            key = (campaign, meta.domain)
            results[key] = results.get(key, 0) + int(count)
    with access_of(request).transaction() as con:
        states = {key: review.state_of(con, *key) for key in results}
        contests = {key: review.unanswered_contests(con, *key) for key in results}
    return [
        CampaignState(
            campaign=campaign,
            family=family,
            state=states[(campaign, family)],
            state_label=review.STATE_LABELS[states[(campaign, family)]],
            results=results[(campaign, family)],
            open_contests=contests[(campaign, family)],
        )
        for campaign, family in sorted(results, key=lambda k: (-k[0], k[1]))
    ]


@page(
    router,
    "/espace/audit",
    template="audit.html",
    model=AuditPage,
    summary="Journal d'audit (équipe nationale)",
    private=True,
)
def audit_trail(
    request: Request,
    utilisateur: Annotated[
        str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9._@:-]{0,63}$")
    ] = None,
) -> AuditPage:
    authorise(request, NATION, "audit")
    with access_of(request).transaction() as con:
        events = audit.read(con, user=utilisateur, limit=EVENTS_SHOWN)
    return AuditPage(
        layout=layout(request, "Journal d'audit"),
        user=utilisateur,
        events=[
            Event(
                seq=e.seq,
                at=e.at.isoformat(timespec="seconds"),
                actor=e.actor,
                role=e.role,
                action=e.action,
                action_label=ACTION_LABELS.get(e.action, e.action),
                outcome=e.outcome,
                entity=f"{e.entity_kind} {e.entity_id}" if e.entity_kind else None,
                route=e.route,
                client=e.client,
                details=e.details or {},
            )
            for e in events
        ],
        shown=len(events),
    )
