"""The status of each lever of the efficiency check-list for one establishment (issue 11): to
examine, in progress, done, not relevant — set by the establishment itself or by its ARS, for
the management dialogue. Stored in the access database (SCHEMA), every change kept (history:
who, when, from which status, with an optional note) and audited by the caller (the returned
`Change`), as review.py does; refusals raise `StatusRefused` with a French message.

A lever never given a status is `a_examiner`. Who may set it is decided here from the role
only (the one rule, access/rule.py, has already decided that the establishment is in the
principal's perimeter): `etablissement` and `ars`; a GHT, the national team and the accounts
administrator read the check-list but do not change an establishment's statuses."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from hospiscope.access.review import stamp, text_of

TO_EXAMINE, IN_PROGRESS, DONE, NOT_RELEVANT = "a_examiner", "en_cours", "fait", "sans_objet"
STATUSES = {
    TO_EXAMINE: "à examiner",
    IN_PROGRESS: "en cours",
    DONE: "fait",
    NOT_RELEVANT: "sans objet",
}
SETTERS = frozenset({"etablissement", "ars"})
NOTE_MAX = 2000

SCHEMA = """
CREATE TABLE IF NOT EXISTS lever_statuses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    finess_et TEXT NOT NULL,
    lever_id TEXT NOT NULL,
    from_status TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lever_statuses_et ON lever_statuses (finess_et, lever_id, seq);
"""


class StatusRefused(Exception):
    """A refused status change; the message is French, for the user."""


@dataclass(frozen=True)
class StatusChange:
    action: str  # "lever.status"
    finess_et: str
    lever_id: str
    details: dict


def set_status(
    con: sqlite3.Connection,
    finess_et: str,
    lever_id: str,
    status: str,
    *,
    actor: str,
    role: str,
    note: str | None = None,
    known_levers: frozenset[str] | set[str] | None = None,
    now=None,
) -> StatusChange:
    """Record `status` for (establishment, lever); `known_levers`: the catalogue's ids (the
    caller passes them: the access layer does not read the catalogue)."""
    if role not in SETTERS:
        raise StatusRefused(
            "Seuls l'établissement et son ARS fixent l'état d'un levier de la liste de contrôle."
        )
    if status not in STATUSES:
        raise StatusRefused(f"État inconnu : {status} (possibles : {', '.join(STATUSES)}).")
    if known_levers is not None and lever_id not in known_levers:
        raise StatusRefused(f"Levier inconnu du catalogue : {lever_id}.")
    note = text_of(note)
    if len(note) > NOTE_MAX:
        raise StatusRefused(f"Note trop longue : {len(note)} caractères (au plus {NOTE_MAX}).")
    before = status_of(con, finess_et, lever_id)
    if status == before and not note:
        raise StatusRefused(f"Le levier {lever_id} est déjà « {STATUSES[status]} ».")
    con.execute(
        "INSERT INTO lever_statuses (finess_et, lever_id, from_status, status, note, at, actor, "
        "role) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [finess_et, lever_id, before, status, note or None, stamp(now), actor, role],
    )
    details = {"levier": lever_id, "de": before, "vers": status, "note": note or None}
    return StatusChange("lever.status", finess_et, lever_id, details)


def status_of(con: sqlite3.Connection, finess_et: str, lever_id: str) -> str:
    row = con.execute(
        "SELECT status FROM lever_statuses WHERE finess_et = ? AND lever_id = ? "
        "ORDER BY seq DESC LIMIT 1",
        [finess_et, lever_id],
    ).fetchone()
    return row[0] if row else TO_EXAMINE


def statuses(con: sqlite3.Connection, finess: list[str]) -> dict[tuple[str, str], dict]:
    """The current status of every lever that has one, for these establishments:
    (finess_et, lever_id) → {status, at, actor, role, note}."""
    rows = con.execute(
        """SELECT finess_et, lever_id, status, at, actor, role, note FROM lever_statuses s
        WHERE finess_et IN (SELECT value FROM json_each(?)) AND seq = (
            SELECT max(seq) FROM lever_statuses l
            WHERE l.finess_et = s.finess_et AND l.lever_id = s.lever_id)""",
        [json.dumps(list(finess))],
    ).fetchall()
    return {
        (et, lever): {"status": st, "at": at, "actor": actor, "role": role, "note": note}
        for et, lever, st, at, actor, role, note in rows
    }


def history(con: sqlite3.Connection, finess_et: str, lever_id: str) -> list[dict]:
    """Every change of (establishment, lever), oldest first."""
    cursor = con.execute(
        "SELECT from_status, status, note, at, actor, role FROM lever_statuses "
        "WHERE finess_et = ? AND lever_id = ? ORDER BY seq",
        [finess_et, lever_id],
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
