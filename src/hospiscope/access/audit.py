"""The audit trail: one row per sign-in (success or failure), access to private data, and
change of an account, a review, a contest or a publication.

Append-only: SQLite triggers abort any UPDATE or DELETE of `audit_events`, whoever issues it
(the web server, the command line, a `sqlite3` shell), so the application has no way to edit
the trail. Someone with the file in hand can still replace it; keeping copies elsewhere
(backups, a log collector) is the operator's protection against that.

Modules other than this one never record events themselves: they return what happened, and
the command line or the web layer records it (one place decides what is audited)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hospiscope.access.clock import aware, from_text, start_of, to_text

OK, REFUSED = "ok", "refused"
DEFAULT_LIMIT = 100
# Actions recorded by the access layer's callers (others may be added: the column is text).
SIGN_IN, SIGN_OUT = "sign_in", "sign_out"
ACCOUNT_ADD, ACCOUNT_DISABLE, ACCOUNT_ENABLE = "account.add", "account.disable", "account.enable"
ACCOUNT_ROLE, ACCOUNT_PASSWORD = "account.role", "account.password"
TOKEN_ISSUE, TOKEN_REVOKE, TOKEN_USE = "token.issue", "token.revoke", "token.use"
PRIVATE_ACCESS = "private_access"
REVIEW_OPEN, REVIEW_PUBLISH, REVIEW_WITHDRAW = "review.open", "review.publish", "review.withdraw"
REVIEW_ANSWER = "review.answer"
REVIEW_ACCEPT, REVIEW_CONTEST = "review.accept", "review.contest"
LEVER_STATUS = "lever.status"

_NO_UPDATE = "journal d''audit : un événement enregistré ne peut pas être modifié"
_NO_DELETE = "journal d''audit : un événement enregistré ne peut pas être supprimé"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,     -- never reused, even after a failed insert
    at TEXT NOT NULL,                          -- UTC
    actor TEXT,                                -- login; NULL: anonymous
    role TEXT,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
    entity_kind TEXT,
    entity_id TEXT,
    route TEXT,
    client TEXT,                               -- client address
    details TEXT                               -- JSON object
);
CREATE INDEX IF NOT EXISTS audit_events_actor ON audit_events (actor, seq);
CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at);
CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, '{_NO_UPDATE}');
END;
CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, '{_NO_DELETE}');
END;
"""
_COLUMNS = "seq, at, actor, role, action, outcome, entity_kind, entity_id, route, client, details"


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: datetime
    actor: str | None
    role: str | None
    action: str
    outcome: str
    entity_kind: str | None
    entity_id: str | None
    route: str | None
    client: str | None
    details: dict[str, Any]


def record(
    con: sqlite3.Connection,
    *,
    actor: str | None,
    role: str | None,
    action: str,
    outcome: str,
    entity_kind: str | None = None,
    entity_id: str | None = None,
    route: str | None = None,
    client: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """Append one event (in the caller's transaction: a change and its event are committed
    together); its sequence number."""
    if outcome not in (OK, REFUSED):
        raise ValueError(f"outcome must be {OK!r} or {REFUSED!r}, not {outcome!r}")
    cursor = con.execute(
        f"INSERT INTO audit_events ({_COLUMNS.partition(', ')[2]}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            to_text(aware(at)),
            actor,
            role,
            action,
            outcome,
            entity_kind,
            None if entity_id is None else str(entity_id),
            route,
            client,
            json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
            if details
            else None,
        ],
    )
    return cursor.lastrowid


def read(
    con: sqlite3.Connection,
    user: str | None = None,
    since: date | datetime | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> list[AuditEvent]:
    """The latest events first: of one login if `user` is given (what it did, and what was
    done to its account), from `since` on (a date: from its first instant, UTC), at most
    `limit` (None or 0: all)."""
    where, params = [], []
    if user is not None:
        where.append("(lower(actor) = ? OR (entity_kind = 'account' AND entity_id = ?))")
        params += [user.strip().lower()] * 2
    if since is not None:
        where.append("at >= ?")
        params.append(to_text(start_of(since)))
    sql = f"SELECT {_COLUMNS} FROM audit_events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq DESC"
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [_event(row) for row in con.execute(sql, params).fetchall()]


def recent(con: sqlite3.Connection, actor: str, action: str, limit: int = 5) -> list[AuditEvent]:
    """The latest events of `actor` for `action`, the latest first (the account page's recent
    sign-ins, accepted or refused)."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM audit_events WHERE actor = ? AND action = ? "
        "ORDER BY seq DESC LIMIT ?",
        [actor, action, int(limit)],
    ).fetchall()
    return [_event(row) for row in rows]


def of_account(con: sqlite3.Connection, login: str, limit: int = 10) -> list[AuditEvent]:
    """The latest changes made to an account (and to its tokens), refused ones too, the
    latest first: what the accounts administrator's page shows of it."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM audit_events WHERE entity_kind = 'account' AND entity_id = ? "
        "ORDER BY seq DESC LIMIT ?",
        [login.strip().lower(), int(limit)],
    ).fetchall()
    return [_event(row) for row in rows]


def count(con: sqlite3.Connection) -> int:
    return con.execute("SELECT count(*) FROM audit_events").fetchone()[0]


def _event(row: tuple) -> AuditEvent:
    return AuditEvent(
        seq=row[0],
        at=from_text(row[1]),
        actor=row[2],
        role=row[3],
        action=row[4],
        outcome=row[5],
        entity_kind=row[6],
        entity_id=row[7],
        route=row[8],
        client=row[9],
        details=json.loads(row[10]) if row[10] else {},
    )
