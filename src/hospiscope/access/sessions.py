"""Server-side sessions of the web application.

The browser holds only a random session id (HttpOnly cookie, set by the web layer); the
database stores its SHA-256 digest, so that a copy of the database does not give a signed-in
browser. Each session carries its CSRF token, which every form of the session must send back
(the web layer compares it with `csrf_matches`). A session ends when it is idle too long, at
its absolute end whatever its activity, at sign-out, and when its account's password, role or
state changes (`revoke_account_sessions`; a password changed by the account itself keeps the
session it was changed from: `revoke_other_sessions`)."""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from hospiscope.access.accounts import Account, account_by_id
from hospiscope.access.clock import aware, from_text, to_text
from hospiscope.access.tokens import token_hash

# hospiscope's choice: a browser left open is signed out after half an hour without use, and
# every session ends after a working day whatever its activity.
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
SECRET_BYTES = 32

# Refusal reason codes.
UNKNOWN, IDLE, EXPIRED, REVOKED, DISABLED = "unknown", "idle", "expired", "revoked", "disabled"
REFUSAL_MESSAGES = {
    UNKNOWN: "Session inconnue : connectez-vous.",
    IDLE: f"Session expirée après {IDLE_TIMEOUT.seconds // 60} minutes d'inactivité : "
    "reconnectez-vous.",
    EXPIRED: f"Session expirée ({ABSOLUTE_TIMEOUT.seconds // 3600} heures au plus) : "
    "reconnectez-vous.",
    REVOKED: "Session fermée : reconnectez-vous.",
    DISABLED: "Ce compte est désactivé : adressez-vous à l'administrateur des comptes.",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    id_hash TEXT NOT NULL UNIQUE,              -- SHA-256 hex of the cookie value
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,                     -- absolute end
    revoked_at TEXT,
    client TEXT
);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
"""
_COLUMNS = "id, account_id, csrf_token, created_at, last_seen_at, ends_at, revoked_at, client"


@dataclass(frozen=True)
class Session:
    id: int
    account_id: int
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    ends_at: datetime
    revoked_at: datetime | None
    client: str | None


@dataclass(frozen=True)
class OpenedSession:
    session: Session
    cookie_value: str  # for the cookie only, never stored


@dataclass(frozen=True)
class SessionCheck:
    account: Account | None = None
    session: Session | None = None
    refusal: str | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def message(self) -> str:
        return REFUSAL_MESSAGES.get(self.refusal, "Session valide.")


def session_hash(cookie_value: str) -> str:
    """What is stored of a session id (its SHA-256 digest, as for API tokens)."""
    return token_hash(cookie_value)


def open_session(
    con: sqlite3.Connection, account: Account, now: datetime, client: str | None = None
) -> OpenedSession:
    """A new session of `account` (after a successful sign-in)."""
    cookie_value = secrets.token_urlsafe(SECRET_BYTES)
    now = aware(now)
    cursor = con.execute(
        "INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, last_seen_at, "
        "ends_at, client) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            session_hash(cookie_value),
            account.id,
            secrets.token_urlsafe(SECRET_BYTES),
            to_text(now),
            to_text(now),
            to_text(now + ABSOLUTE_TIMEOUT),
            client,
        ],
    )
    return OpenedSession(_by_id(con, cursor.lastrowid), cookie_value)


def check_session(con: sqlite3.Connection, cookie_value: str, now: datetime) -> SessionCheck:
    """The account of a presented session cookie, or why not; a valid session's idle clock
    restarts."""
    now = aware(now)
    row = con.execute(
        f"SELECT {_COLUMNS} FROM sessions WHERE id_hash = ?", [session_hash(cookie_value)]
    ).fetchone()
    if row is None:
        return SessionCheck(refusal=UNKNOWN)
    session = _session(row)
    account = account_by_id(con, session.account_id)
    if session.revoked_at is not None:
        return SessionCheck(account, session, REVOKED)
    if now >= session.ends_at:
        return SessionCheck(account, session, EXPIRED)
    if now >= session.last_seen_at + IDLE_TIMEOUT:
        return SessionCheck(account, session, IDLE)
    if account is None or account.disabled:
        return SessionCheck(account, session, DISABLED)
    con.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", [to_text(now), session.id])
    return SessionCheck(account, _by_id(con, session.id))


def csrf_matches(session: Session, presented: str | None) -> bool:
    """Whether a form's CSRF token is its session's (compared in constant time)."""
    return presented is not None and hmac.compare_digest(
        session.csrf_token.encode("utf-8"), presented.encode("utf-8")
    )


def revoke_session(con: sqlite3.Connection, cookie_value: str, now: datetime) -> Session | None:
    """Sign-out: end the session of this cookie (None if there is none)."""
    row = con.execute(
        f"SELECT {_COLUMNS} FROM sessions WHERE id_hash = ?", [session_hash(cookie_value)]
    ).fetchone()
    if row is None:
        return None
    con.execute(
        "UPDATE sessions SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
        [to_text(now), row[0]],
    )
    return _by_id(con, row[0])


def revoke_account_sessions(con: sqlite3.Connection, account_id: int, now: datetime) -> int:
    """End every open session of an account; how many were open."""
    cursor = con.execute(
        "UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
        [to_text(now), account_id],
    )
    return cursor.rowcount


def revoke_other_sessions(
    con: sqlite3.Connection, account_id: int, keep_session_id: int | None, now: datetime
) -> int:
    """End every open session of an account but one (the one changing its password, which
    stays signed in); how many were open. `keep_session_id` None: all of them."""
    cursor = con.execute(
        "UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL "
        "AND id IS NOT ?",
        [to_text(now), account_id, keep_session_id],
    )
    return cursor.rowcount


def count_open_sessions(con: sqlite3.Connection, account_id: int, now: datetime) -> int:
    """The sessions of an account that `check_session` would accept at `now` (not revoked,
    before their absolute end, not idle): stored instants compare as text (clock.py)."""
    now = aware(now)
    return con.execute(
        "SELECT count(*) FROM sessions WHERE account_id = ? AND revoked_at IS NULL "
        "AND ends_at > ? AND last_seen_at > ?",
        [account_id, to_text(now), to_text(now - IDLE_TIMEOUT)],
    ).fetchone()[0]


def purge_sessions(con: sqlite3.Connection, now: datetime) -> int:
    """Delete sessions ended for more than a day (the audit trail keeps the sign-ins)."""
    limit = to_text(aware(now) - timedelta(days=1))
    cursor = con.execute(
        "DELETE FROM sessions WHERE ends_at < ? OR revoked_at < ? OR last_seen_at < ?",
        [limit, limit, to_text(aware(now) - IDLE_TIMEOUT - timedelta(days=1))],
    )
    return cursor.rowcount


def _by_id(con: sqlite3.Connection, session_id: int) -> Session:
    row = con.execute(f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", [session_id]).fetchone()
    return _session(row)


def _session(row: tuple) -> Session:
    return Session(
        id=row[0],
        account_id=row[1],
        csrf_token=row[2],
        created_at=from_text(row[3]),
        last_seen_at=from_text(row[4]),
        ends_at=from_text(row[5]),
        revoked_at=from_text(row[6]),
        client=row[7],
    )
