"""Personal API tokens: a long random secret that an account's scripts send instead of a
password (`Authorization: Bearer hsp_…`).

The secret is shown once, when issued; only its SHA-256 digest is stored, so that a copy of
the access database does not give access. A plain digest (no salt, no argon2) is enough for
a 256-bit random secret, which no one can guess, and lets a request find its token by one
indexed lookup. The prefix makes a leaked token recognisable (secret scanners, logs)."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from hospiscope.access.accounts import Account, AccountError, account_by_id
from hospiscope.access.clock import aware, from_text, to_text

PREFIX = "hsp_"
SECRET_BYTES = 32
DEFAULT_DAYS = 90  # hospiscope's choice: a token outlives no quarter unnoticed
MAX_DAYS = 366

# Refusal reason codes.
UNKNOWN, EXPIRED, REVOKED, DISABLED = "unknown", "expired", "revoked", "disabled"
REFUSAL_MESSAGES = {
    UNKNOWN: "Jeton d'accès inconnu.",
    EXPIRED: "Jeton d'accès expiré : demandez-en un nouveau.",
    REVOKED: "Jeton d'accès révoqué.",
    DISABLED: "Le compte de ce jeton est désactivé.",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_tokens (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    label TEXT,
    token_hash TEXT NOT NULL UNIQUE,          -- SHA-256 hex of the secret
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE INDEX IF NOT EXISTS api_tokens_account ON api_tokens (account_id);
"""
_COLUMNS = "id, account_id, label, created_at, expires_at, revoked_at, last_used_at"


@dataclass(frozen=True)
class ApiToken:
    id: int
    account_id: int
    label: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    def state(self, now: datetime) -> str:
        """actif, expiré or révoqué (French, for lists)."""
        if self.revoked_at is not None:
            return "révoqué"
        return "expiré" if aware(now) >= self.expires_at else "actif"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


@dataclass(frozen=True)
class TokenCheck:
    account: Account | None = None
    token: ApiToken | None = None
    refusal: str | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def message(self) -> str:
        return REFUSAL_MESSAGES.get(self.refusal, "Jeton d'accès accepté.")


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(
    con: sqlite3.Connection,
    account: Account,
    now: datetime,
    label: str | None = None,
    days: int = DEFAULT_DAYS,
) -> IssuedToken:
    """A new token of `account`, valid `days` days."""
    if not 1 <= days <= MAX_DAYS:
        raise AccountError(f"durée de validité invalide : {days} jour(s) (de 1 à {MAX_DAYS})")
    if account.disabled:
        raise AccountError(f"le compte « {account.login} » est désactivé : pas de jeton")
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    now = aware(now)
    cursor = con.execute(
        "INSERT INTO api_tokens (account_id, label, token_hash, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [account.id, label, token_hash(secret), to_text(now), to_text(now + timedelta(days))],
    )
    return IssuedToken(get_token(con, cursor.lastrowid), secret)


def find_token(con: sqlite3.Connection, token_id: int) -> ApiToken | None:
    row = con.execute(f"SELECT {_COLUMNS} FROM api_tokens WHERE id = ?", [token_id]).fetchone()
    return _token(row) if row else None


def find_own_token(con: sqlite3.Connection, account_id: int, token_id: int) -> ApiToken | None:
    """Token `token_id` if it is `account_id`'s: another account's reads as no token at all
    (the account page answers 404 for both)."""
    found = find_token(con, token_id)
    return found if found is not None and found.account_id == account_id else None


def get_token(con: sqlite3.Connection, token_id: int) -> ApiToken:
    found = find_token(con, token_id)
    if found is None:
        raise AccountError(f"jeton inconnu : n° {token_id}")
    return found


def list_tokens(con: sqlite3.Connection, account_id: int | None = None) -> list[ApiToken]:
    where, params = ("WHERE account_id = ?", [account_id]) if account_id is not None else ("", [])
    rows = con.execute(f"SELECT {_COLUMNS} FROM api_tokens {where} ORDER BY id", params)
    return [_token(row) for row in rows.fetchall()]


def revoke_token(con: sqlite3.Connection, token_id: int, now: datetime) -> ApiToken:
    """Revoke a token (revoking it again changes nothing)."""
    token = get_token(con, token_id)
    if token.revoked_at is None:
        con.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", [to_text(now), token_id])
    return get_token(con, token_id)


def verify_token(con: sqlite3.Connection, secret: str, now: datetime) -> TokenCheck:
    """The account a presented secret stands for, or why not; a use is dated."""
    if not secret.startswith(PREFIX):
        return TokenCheck(refusal=UNKNOWN)
    row = con.execute(
        f"SELECT {_COLUMNS} FROM api_tokens WHERE token_hash = ?", [token_hash(secret)]
    ).fetchone()
    if row is None:
        return TokenCheck(refusal=UNKNOWN)
    token = _token(row)
    account = account_by_id(con, token.account_id)
    if token.revoked_at is not None:
        return TokenCheck(account, token, REVOKED)
    if aware(now) >= token.expires_at:
        return TokenCheck(account, token, EXPIRED)
    if account is None or account.disabled:
        return TokenCheck(account, token, DISABLED)
    con.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [to_text(now), token.id])
    return TokenCheck(account, get_token(con, token.id))


def _token(row: tuple) -> ApiToken:
    return ApiToken(
        id=row[0],
        account_id=row[1],
        label=row[2],
        created_at=from_text(row[3]),
        expires_at=from_text(row[4]),
        revoked_at=from_text(row[5]),
        last_used_at=from_text(row[6]),
    )
