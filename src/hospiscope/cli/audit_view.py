"""`hospiscope audit`: the audit trail of the access database, latest events first, as a
table or one JSON object per line."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from hospiscope.cli.access_support import open_access, parse_since, short_time
from hospiscope.cli.common import WarehouseOption, errors_to_exit_codes, out
from hospiscope.cli.errors import CliError

if TYPE_CHECKING:
    from hospiscope.access.audit import AuditEvent

DEFAULT_LIMIT = 100  # access.audit.DEFAULT_LIMIT (not imported by `hospiscope --help`)
OUTCOMES = {"ok": "accepté", "refused": "refusé"}
WIDE = 120  # below this width, or when redirected, events are printed as blocks


def audit_command(
    warehouse: WarehouseOption = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Événements de ce compte (identifiant).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Depuis cette date (AAAA-MM-JJ) ou cet instant (AAAA-MM-JJTHH:MM, UTC)."),
    ] = None,
    limit: Annotated[
        int, typer.Option(help="Nombre maximal d'événements (0 : tous).")
    ] = DEFAULT_LIMIT,
    as_json: Annotated[bool, typer.Option("--json", help="Un objet JSON par ligne.")] = False,
) -> None:
    """Journal d'audit : connexions, accès aux données privées, changements de comptes."""
    from hospiscope.access.audit import read

    with errors_to_exit_codes():
        if limit < 0:
            raise CliError(f"--limit attend un nombre positif ou nul (reçu : {limit})")
        moment = parse_since(since)
        with open_access(warehouse) as db:
            events = read(db.con, user=user, since=moment, limit=limit)
    if as_json:
        for event in events:
            sys.stdout.write(json.dumps(_record(event), ensure_ascii=False) + "\n")
        return
    if not events:
        out.print("Aucun événement dans le journal d'audit pour ces critères.")
        return
    if out.width >= WIDE and out.is_terminal:
        out.print(_table(events))
    else:
        for event in events:
            out.print(escape(_block(event)), highlight=False)
    if limit and len(events) == limit:
        out.print(
            f"… les {limit} derniers événements sont affichés : --limit 0 pour tous, ou "
            "précisez --user ou --since.",
            style="dim",
        )


def _table(events: list[AuditEvent]) -> Table:
    table = Table(show_edge=False)
    for column in ("N°", "Date (UTC)", "Acteur", "Rôle", "Action", "Résultat"):
        table.add_column(column, no_wrap=True)
    for column in ("Entité", "Route", "Client", "Détails"):
        table.add_column(column)
    for e in events:
        table.add_row(
            str(e.seq),
            short_time(e.at),
            escape(e.actor or "anonyme"),
            escape(e.role or "—"),
            escape(e.action),
            OUTCOMES.get(e.outcome, e.outcome),
            escape(f"{e.entity_kind} {e.entity_id}" if e.entity_kind else (e.entity_id or "—")),
            escape(e.route or "—"),
            escape(e.client or "—"),
            escape(json.dumps(e.details, ensure_ascii=False) if e.details else "—"),
        )
    return table


def _block(e: AuditEvent) -> str:
    """Two lines per event, within 80 columns (more when details are long)."""
    head = f"n° {e.seq} · {short_time(e.at)} · {e.actor or 'anonyme'} ({e.role or '—'})"
    parts = [e.action, OUTCOMES.get(e.outcome, e.outcome)]
    if e.entity_kind or e.entity_id:
        parts.append(" ".join(filter(None, (e.entity_kind, e.entity_id))))
    parts += [f"route {e.route}"] if e.route else []
    parts += [f"client {e.client}"] if e.client else []
    if e.details:
        parts.append(json.dumps(e.details, ensure_ascii=False))
    return head + "\n  " + " · ".join(parts)


def _record(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "role": event.role,
        "action": event.action,
        "outcome": event.outcome,
        "entity_kind": event.entity_kind,
        "entity_id": event.entity_id,
        "route": event.route,
        "client": event.client,
        "details": event.details,
    }
