"""What the `review` commands share: the (campaign, family) pairs that have results computed by
hospiscope in the warehouse, the choice of families a command acts on, and review changes
applied together with their audit events.

A family is the catalogue `domain` of an indicator; a campaign the year of a result's period
(results.selection.CAMPAIGN_SQL: "2024", or the season "2023-2024" → 2024). Results imported
as published by the HAS (origin `publie`) are public by nature and have no review; the
families private by nature (efficiency, imaging: access/publication.py) have none either."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from hospiscope.cli.access_support import CLI_ROLE, cli_actor, warehouse_path
from hospiscope.cli.errors import CliError

if TYPE_CHECKING:
    import sqlite3

    from hospiscope.access.database import AccessDatabase
    from hospiscope.access.review import Change

T = TypeVar("T")


def computed_families(warehouse: Path | None) -> dict[int, list[str]]:
    """{campaign: [family, …]} of the results computed by hospiscope, sorted."""
    from hospiscope.access.publication import PRIVATE_FAMILIES
    from hospiscope.catalogue import catalogue_meta
    from hospiscope.cli.common import open_warehouse
    from hospiscope.results.selection import CAMPAIGN_SQL

    with open_warehouse(warehouse, read_only=True) as wh:
        rows = wh.con.execute(
            f"SELECT DISTINCT indicator_code, {CAMPAIGN_SQL} FROM results WHERE origin = 'calcul'"
        ).fetchall()
    meta = catalogue_meta()
    found: dict[int, set[str]] = {}
    for code, campaign in rows:  # (families private by nature have no review)
        if campaign is not None and code in meta and meta[code].domain not in PRIVATE_FAMILIES:
            found.setdefault(campaign, set()).add(meta[code].domain)
    return {campaign: sorted(found[campaign]) for campaign in sorted(found)}


def families_of(
    available: dict[int, list[str]], warehouse: Path | None, campaign: int, asked: list[str]
) -> list[str]:
    """The families a command acts on: those asked for (each must have results of this
    campaign), or every family of the campaign."""
    families = available.get(campaign)
    if not families:
        raise CliError(no_results_sentence(available, warehouse, campaign))
    if unknown := [family for family in asked if family not in families]:
        raise CliError(
            f"aucun résultat calculé de la famille {', '.join(unknown)} pour la campagne "
            f"{campaign} (familles de cette campagne : {', '.join(families)})"
        )
    return list(dict.fromkeys(asked)) or families


def no_results_sentence(available: dict[int, list[str]], warehouse: Path | None, campaign) -> str:
    known = ", ".join(map(str, available)) or "aucune"
    return (
        f"aucun résultat calculé par hospiscope pour la campagne {campaign} dans l'entrepôt "
        f"{warehouse_path(warehouse)} (campagnes calculées : {known}) ; importez ses données "
        "puis lancez `hospiscope compute`"
    )


def apply_changes(
    db: AccessDatabase,
    action: str,
    keys: list[T],
    change: Callable[[sqlite3.Connection, T], Change],
    entity: Callable[[T], tuple[str, str]],
) -> list[Change]:
    """Apply `change(con, key)` to every key in one transaction, each with its audit event on
    `entity(key)` (kind, id): all or nothing. A refusal rolls everything back, is recorded as
    refused (with why, on the entity refused) and raised for its message."""
    from hospiscope.access import audit
    from hospiscope.access.clock import utc_now
    from hospiscope.access.review import ReviewRefused

    now = utc_now()
    event = {"actor": cli_actor(), "role": CLI_ROLE, "action": action, "at": now}
    changes, current = [], keys[0]
    try:
        with db.transaction() as con:
            for current in keys:
                done = change(con, current)
                details = {"campagne": done.campaign, "famille": done.family, **done.details}
                if done.warnings:
                    details["avertissements"] = list(done.warnings)
                audit.record(con, outcome=audit.OK, details=details, entity_kind=entity(current)[0],
                             entity_id=entity(current)[1], **event)  # fmt: skip
                changes.append(done)
    except ReviewRefused as error:
        refused(db, action, entity(current), str(error))
        if len(keys) > 1:
            raise ReviewRefused(
                f"{entity(current)[1]} : {error} Aucun changement enregistré."
            ) from None
        raise
    return changes


def refused(db: AccessDatabase, action: str, target: tuple[str, str | None], why: str) -> None:
    """Record a refused review action (its own transaction: what was refused is not written)."""
    from hospiscope.access import audit
    from hospiscope.access.clock import utc_now

    with db.transaction() as con:
        audit.record(con, actor=cli_actor(), role=CLI_ROLE, action=action,
                     outcome=audit.REFUSED, entity_kind=target[0], entity_id=target[1],
                     details={"raison": why}, at=utc_now())  # fmt: skip


def campaign_id(campaign: int, family: str) -> str:
    """How a (campaign, family) is named in the audit trail: `2024/experience_patient`."""
    return f"{campaign}/{family}"
