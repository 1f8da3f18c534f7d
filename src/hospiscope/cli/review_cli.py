"""`hospiscope review …`: the national team's side of the pre-publication review, per
(campaign, family): where each stands, opening a review, publishing, withdrawing, and the
answers to the establishments' contests. The states and what is allowed are decided by
access/review.py and access/contests.py; every change is recorded in the audit trail, refused
ones too, with the system user running the command as actor (`cli:<user>`)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from hospiscope.cli.access_support import cli_actor, open_access
from hospiscope.cli.common import WarehouseOption, errors_to_exit_codes, out
from hospiscope.cli.errors import CliError
from hospiscope.cli.review_support import (
    apply_changes,
    campaign_id,
    computed_families,
    families_of,
    no_results_sentence,
    refused,
)

review_app = typer.Typer(
    help="Revue des campagnes avant publication : états, ouverture, publication, retrait, "
    "contestations.",
    no_args_is_help=True,
)

CampaignOption = Annotated[int, typer.Option("--campaign", help="Campagne (année).")]
FamilyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--family",
        help="Famille d'indicateurs (répétable : experience_patient, processus…) ; "
        "par défaut toutes les familles calculées de la campagne.",
    ),
]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Motif écrit.")]


@review_app.command("status")
def review_status(
    campaign: Annotated[int | None, typer.Option("--campaign", help="Campagne (année).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Un objet JSON par ligne.")] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """État de la revue de chaque campagne et famille calculées."""
    from hospiscope.access.review import status

    with errors_to_exit_codes():
        available = computed_families(warehouse)
        if campaign is not None:
            if campaign not in available:
                raise CliError(no_results_sentence(available, warehouse, campaign))
            available = {campaign: available[campaign]}
        with open_access(warehouse, create=True) as db:
            rows = [
                status(db.con, year, family) for year in available for family in available[year]
            ]
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(_status_record(row), ensure_ascii=False) + "\n")
        return
    if not rows:
        out.print("Aucun résultat calculé dans l'entrepôt : lancez `hospiscope compute`.")
        return
    out.print(_status_table(rows))


@review_app.command("open")
def review_open(
    campaign: CampaignOption, family: FamilyOption = None, warehouse: WarehouseOption = None
) -> None:
    """Ouvrir la revue (campagne calculée ou retirée → en revue) : les établissements voient
    leurs résultats et peuvent les accepter ou les contester pendant le délai."""
    from hospiscope.access import audit
    from hospiscope.access.review import IN_REVIEW

    changes = _move(warehouse, campaign, family, IN_REVIEW, audit.REVIEW_OPEN)
    for change in changes:
        out.print(f"Campagne {campaign}, famille {change.family} : revue ouverte.")


@review_app.command("publish")
def review_publish(
    campaign: CampaignOption,
    family: FamilyOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Publier malgré des contestations sans réponse.")
    ] = False,
    reason: ReasonOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Publier (en revue → publiée) : refusé tant qu'une contestation attend sa réponse, sauf
    avec --force et un motif (--reason)."""
    from hospiscope.access import audit
    from hospiscope.access.review import PUBLISHED

    changes = _move(warehouse, campaign, family, PUBLISHED, audit.REVIEW_PUBLISH, reason, force)
    for change in changes:
        out.print(f"Campagne {campaign}, famille {change.family} : publiée.")
        for warning in change.warnings:
            out.print(f"  Attention : {warning}", style="yellow")


@review_app.command("withdraw")
def review_withdraw(
    campaign: CampaignOption,
    family: FamilyOption = None,
    reason: ReasonOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Retirer une campagne publiée (publiée → retirée), avec un motif écrit (--reason)."""
    from hospiscope.access import audit
    from hospiscope.access.review import WITHDRAWN

    changes = _move(warehouse, campaign, family, WITHDRAWN, audit.REVIEW_WITHDRAW, reason)
    for change in changes:
        out.print(f"Campagne {campaign}, famille {change.family} : retirée.")


def _move(warehouse, campaign, family, to_state, action, reason=None, force=False) -> list:
    """The transition of every family asked for (or of the campaign), all or nothing."""
    from hospiscope.access.review import transition

    actor = cli_actor()
    with errors_to_exit_codes():
        available = computed_families(warehouse)
        with open_access(warehouse, create=True) as db:
            try:
                families = families_of(available, warehouse, campaign, family or [])
            except CliError as error:
                refused(db, action, ("campagne", str(campaign)), str(error))
                raise

            def change(con, name):
                return transition(con, campaign, name, to_state, actor=actor, reason=reason,
                                  force=force)  # fmt: skip

            def entity(name):
                return "campagne", campaign_id(campaign, name)

            return apply_changes(db, action, families, change, entity)


@review_app.command("contests")
def review_contests(
    campaign: Annotated[int | None, typer.Option("--campaign", help="Campagne (année).")] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Seulement les contestations sans réponse.")
    ] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Les contestations des établissements, avec leur réponse."""
    from hospiscope.access.contests import every_contest

    with errors_to_exit_codes(), open_access(warehouse, create=True) as db:
        found = every_contest(db.con, campaign, open_only=open_only)
    if not found:
        out.print("Aucune contestation" + (" sans réponse." if open_only else "."))
        return
    table = Table(show_edge=False)
    for column in ("N°", "Campagne", "Famille", "FINESS", "Indicateur"):
        table.add_column(column, no_wrap=True)
    for column in ("Motif", "Déposée le (UTC)", "Par", "Réponse", "Texte de la réponse"):
        table.add_column(column)
    for c in found:
        table.add_row(
            str(c.id), str(c.campaign), c.family, c.finess_et, escape(c.indicator),
            escape(c.reason), c.filed_at[:16].replace("T", " "), escape(c.filed_by),
            ANSWERS.get(c.answer, "en attente"), escape(c.answer_text or "—"),
        )  # fmt: skip
    out.print(table)


ANSWERS = {"acceptee": "acceptée", "rejetee": "rejetée"}


@review_app.command("answer")
def review_answer(
    contest_id: Annotated[int, typer.Argument(help="Numéro de la contestation.", metavar="NUMERO")],
    accepted: Annotated[
        bool | None,
        typer.Option("--accept/--reject", help="Contestation acceptée ou rejetée."),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="Texte de la réponse.")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Répondre à une contestation (décision nationale) : --accept ou --reject, et --text."""
    from hospiscope.access import audit
    from hospiscope.access.contests import answer

    entity = ("contestation", str(contest_id))
    actor = cli_actor()
    with errors_to_exit_codes(), open_access(warehouse, create=True) as db:
        if accepted is None:
            why = "précisez --accept ou --reject"
            refused(db, audit.REVIEW_ANSWER, entity, why)
            raise CliError(why)

        def change(con, key):
            return answer(con, key, accepted=accepted, text=text or "", actor=actor)

        apply_changes(db, audit.REVIEW_ANSWER, [contest_id], change, lambda _key: entity)
    verdict = "acceptée" if accepted else "rejetée"
    out.print(f"Contestation n° {contest_id} {verdict} ; la réponse est enregistrée.")


def _status_table(rows) -> Table:
    from hospiscope.access.review import STATE_LABELS

    # Fits 80 columns: days only (the times and who changed a state: --json and the audit).
    table = Table(
        show_edge=False,
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        caption="Accept. : acceptations ; Contest. : contestations ouvertes/répondues.",
    )
    for column in ("Année", "Famille", "État", "Depuis", "Fin du délai"):
        table.add_column(column, no_wrap=True)
    table.add_column("Accept.", justify="right")
    table.add_column("Contest.", justify="right")
    for r in rows:
        closes = f"{r.window_closes:%Y-%m-%d}" if r.window_closes else "—"
        table.add_row(
            str(r.campaign), r.family, STATE_LABELS[r.state], (r.changed_at or "—")[:10],
            closes, str(r.acceptances), f"{r.open_contests}/{r.answered_contests}",
        )  # fmt: skip
    return table


def _status_record(r) -> dict:
    return {
        "campaign": r.campaign,
        "family": r.family,
        "state": r.state,
        "changed_at": r.changed_at,
        "changed_by": r.changed_by,
        "window_closes": r.window_closes.isoformat() if r.window_closes else None,
        "acceptances": r.acceptances,
        "open_contests": r.open_contests,
        "answered_contests": r.answered_contests,
    }
