"""The checks of the national space: what the national team must look at before publishing, each
with what was found and what to run. Read from the private view of the store (every result)
and the access database (review states, contests); nothing is checked that the page cannot
name precisely."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import duckdb
from pydantic import BaseModel

from hospiscope.access import review
from hospiscope.reports import format as fr
from hospiscope.results.staleness import latest_computations, staleness

OK, ATTENTION = "ok", "attention"


class Check(BaseModel):
    label: str
    status: str  # ok | attention
    found: str  # what was found (French)
    action: str | None  # what to do, when something needs doing


def national_checks(
    con: duckdb.DuckDBPyConnection,
    access: sqlite3.Connection,
    computed: list[tuple[int, str]],
) -> list[Check]:
    """Every check, in the order the work goes: imports, computation, review."""
    return [
        _rejected_lines(con),
        _stale_results(con),
        _unknown_establishments(con),
        _not_reviewed(access, computed),
        _open_contests(access),
        _closed_windows(access, computed),
    ]


def _rejected_lines(con) -> Check:
    runs, lines = con.execute(
        "SELECT count(*), coalesce(sum(rows_rejected), 0) FROM import_runs WHERE rows_rejected > 0"
    ).fetchone()
    label = "Lignes rejetées à l'importation"
    if not runs:
        return Check(label=label, status=OK, found="Aucune ligne rejetée.", action=None)
    return Check(
        label=label,
        status=ATTENTION,
        found=f"{fr.integer(lines)} ligne(s) rejetée(s) dans {fr.integer(runs)} "
        "importation(s) (--skip-invalid).",
        action="Lisez le rapport des lignes rejetées de chaque fichier (<fichier>.rejets.csv, "
        "à côté du fichier importé), corrigez-le et réimportez-le.",
    )


def _stale_results(con) -> Check:
    found = staleness(con, latest_computations(con))
    label = "Résultats à jour des importations"
    if not found.stale:
        return Check(label=label, status=OK, found="Chaque importation a été calculée.",
                     action=None)  # fmt: skip
    return Check(label=label, status=ATTENTION, found=found.sentence(),
                 action="Lancez hospiscope compute.")  # fmt: skip


def _unknown_establishments(con) -> Check:
    count = con.execute(
        """SELECT count(DISTINCT entity_id) FROM results WHERE entity_kind = 'etablissement'
        AND entity_id NOT IN (SELECT finess_et FROM establishments)"""
    ).fetchone()[0]
    label = "Résultats d'établissements absents du registre"
    if not count:
        return Check(label=label, status=OK, found="Tous les établissements sont au registre.",
                     action=None)  # fmt: skip
    return Check(
        label=label,
        status=ATTENTION,
        found=f"{fr.integer(count)} numéro(s) FINESS ont des résultats sans être au registre "
        "importé.",
        action="Importez un extrait FINESS plus récent (hospiscope import finess).",
    )


def _not_reviewed(access, computed) -> Check:
    waiting = [(c, f) for c, f in computed if review.state_of(access, c, f) == review.CALCULATED]
    label = "Campagnes calculées sans revue ouverte"
    if not waiting:
        return Check(label=label, status=OK, found="Aucune.", action=None)
    names = ", ".join(f"{c} {f}" for c, f in waiting[:6])
    return Check(label=label, status=ATTENTION, found=f"{len(waiting)} : {names}.",
                 action="Ouvrez leur revue ci-dessous ou par hospiscope review open.")  # fmt: skip


def _open_contests(access) -> Check:
    count = access.execute("SELECT count(*) FROM review_contests WHERE answer IS NULL").fetchone()[
        0
    ]
    label = "Contestations sans réponse"
    if not count:
        return Check(label=label, status=OK, found="Aucune.", action=None)
    return Check(label=label, status=ATTENTION, found=f"{fr.integer(count)} contestation(s).",
                 action="Répondez-y (revue et publication) avant de publier.")  # fmt: skip


def _closed_windows(access, computed) -> Check:
    now = datetime.now(UTC)
    closed = [
        (c, f)
        for c, f in computed
        if (closes := review.window_closes(access, c, f)) is not None and closes <= now
    ]
    label = "Revues dont le délai de contestation est clos"
    if not closed:
        return Check(label=label, status=OK, found="Aucune.", action=None)
    names = ", ".join(f"{c} {f}" for c, f in closed[:6])
    return Check(label=label, status=ATTENTION, found=f"{len(closed)} : {names}.",
                 action="Publiez-les (revue et publication) une fois les contestations "
                 "répondues.")  # fmt: skip
