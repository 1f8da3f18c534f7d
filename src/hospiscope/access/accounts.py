"""Accounts: who may sign in, with which role and over which scope, and the lock-out that
stops password guessing.

A role says what kind of data an account may see (access/rule.py decides); its scope says
which entities: FINESS numbers (ET, or EJ for all of its ETs) for `etablissement`, GHT codes
for `ght`, one region code for `ars`, nothing for `national` and `admin`. Whether a FINESS or
GHT code exists is a question for the warehouse, asked by the command line or the admin page
when the warehouse is at hand; this module checks the form."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hospiscope.access.clock import aware, from_text, to_text
from hospiscope.access.passwords import check_policy, hash_password

ROLES = ("etablissement", "ght", "ars", "national", "admin")
ROLE_LABELS = {
    "etablissement": "établissement",
    "ght": "GHT",
    "ars": "ARS",
    "national": "national",
    "admin": "administration des comptes",
}
# hospiscope's choice (no national rule applies): five consecutive failed sign-ins lock the
# account for fifteen minutes; a successful sign-in resets the count.
MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)

FINESS_PATTERN = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
GHT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT,
    role TEXT NOT NULL
        CHECK (role IN ('etablissement', 'ght', 'ars', 'national', 'admin')),
    scope TEXT NOT NULL DEFAULT '[]',          -- JSON list of entity ids
    password_hash TEXT,                        -- argon2id; NULL: no local password
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    password_changed_at TEXT,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
"""
_COLUMNS = (
    "id, login, display_name, role, scope, password_hash, disabled, failed_attempts, "
    "locked_until, password_changed_at, created_at, changed_at"
)


class AccountError(ValueError):
    """A refused account change (message in French, for users)."""


@dataclass(frozen=True)
class Account:
    id: int
    login: str
    display_name: str | None
    role: str
    scope: tuple[str, ...]
    password_hash: str | None = field(repr=False)
    disabled: bool
    failed_attempts: int
    locked_until: datetime | None
    password_changed_at: datetime | None
    created_at: datetime
    changed_at: datetime

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and aware(now) < self.locked_until

    def state(self, now: datetime) -> str:
        """actif, désactivé or verrouillé (French, for lists)."""
        if self.disabled:
            return "désactivé"
        return "verrouillé" if self.locked(now) else "actif"


def normalise_login(login: str) -> str:
    value = login.strip().lower()
    if not LOGIN_PATTERN.match(value):
        raise AccountError(
            f"identifiant invalide : « {login} » (2 à 64 caractères : lettres minuscules sans "
            "accent, chiffres, point, tiret, souligné ou @ ; commence par une lettre ou un "
            "chiffre)"
        )
    return value


def check_scope(role: str, scope: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """The scope of an account of `role`, normalised (sorted, without duplicates); refused
    with a French sentence when it does not fit the role."""
    if role not in ROLES:
        raise AccountError(f"rôle inconnu : « {role} » (rôles : {', '.join(ROLES)})")
    values = tuple(sorted({item.strip().upper() for item in scope or () if item.strip()}))
    if role in ("national", "admin"):
        if values:
            raise AccountError(
                f"le rôle {role} n'a pas de périmètre : laissez-le vide (pas de --scope)"
            )
        return ()
    if not values:
        raise AccountError(f"le rôle {role} demande un périmètre : {_SCOPE_HINT[role]}")
    if role == "etablissement":
        wrong = [v for v in values if not FINESS_PATTERN.match(v)]
        if wrong:
            raise AccountError(
                f"numéro FINESS invalide : {', '.join(wrong)} (9 caractères, ET ou EJ, "
                "par exemple 750712184)"
            )
    elif role == "ght":
        wrong = [v for v in values if not GHT_PATTERN.match(v)]
        if wrong:
            raise AccountError(f"code de GHT invalide : {', '.join(wrong)}")
    else:
        values = (_region(values),)
    return values


_SCOPE_HINT = {  # (the command line's option and the admin page's field alike)
    "etablissement": "un ou plusieurs numéros FINESS, ET ou EJ (--scope répétable)",
    "ght": "un ou plusieurs codes de GHT (--scope répétable)",
    "ars": "un seul code INSEE de région : 84, 01… (--scope)",
}


def _region(values: tuple[str, ...]) -> str:
    from hospiscope.geo import geography

    if len(values) != 1:
        raise AccountError(f"le rôle ars porte sur une seule région (reçu : {', '.join(values)})")
    regions = geography().regions
    code = values[0].zfill(2) if values[0].isdigit() else values[0]
    if code not in regions:
        listed = ", ".join(f"{c} {r.name}" for c, r in regions.items())
        raise AccountError(f"région inconnue : « {values[0]} » (codes INSEE : {listed})")
    return code


def add_account(
    con: sqlite3.Connection,
    login: str,
    role: str,
    scope: list[str] | tuple[str, ...] | None,
    password: str | None,
    now: datetime,
    display_name: str | None = None,
) -> Account:
    """Create an account (password None: none yet, e.g. for an identity provider)."""
    login = normalise_login(login)
    scope = check_scope(role, scope)
    if find_account(con, login) is not None:
        raise AccountError(f"le compte « {login} » existe déjà")
    digest = None
    if password is not None:
        check_policy(password, login)
        digest = hash_password(password)
    stamp = to_text(now)
    con.execute(
        "INSERT INTO accounts (login, display_name, role, scope, password_hash, "
        "password_changed_at, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            login,
            display_name,
            role,
            json.dumps(scope),
            digest,
            stamp if digest else None,
            stamp,
            stamp,
        ],
    )
    return get_account(con, login)


def find_account(con: sqlite3.Connection, login: str) -> Account | None:
    row = con.execute(
        f"SELECT {_COLUMNS} FROM accounts WHERE login = ?", [login.strip().lower()]
    ).fetchone()
    return _account(row) if row else None


def get_account(con: sqlite3.Connection, login: str) -> Account:
    """The account of `login`, or a French refusal naming it."""
    found = find_account(con, login)
    if found is None:
        raise AccountError(f"compte inconnu : « {login.strip()} »")
    return found


def account_by_id(con: sqlite3.Connection, account_id: int) -> Account | None:
    row = con.execute(f"SELECT {_COLUMNS} FROM accounts WHERE id = ?", [account_id]).fetchone()
    return _account(row) if row else None


def list_accounts(con: sqlite3.Connection) -> list[Account]:
    rows = con.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY login").fetchall()
    return [_account(row) for row in rows]


def set_disabled(con: sqlite3.Connection, login: str, disabled: bool, now: datetime) -> Account:
    """Disable or enable an account; enabling also lifts a lock-out."""
    account = get_account(con, login)
    con.execute(
        "UPDATE accounts SET disabled = ?, failed_attempts = CASE WHEN ? THEN failed_attempts "
        "ELSE 0 END, locked_until = CASE WHEN ? THEN locked_until ELSE NULL END, "
        "changed_at = ? WHERE id = ?",
        [int(disabled), int(disabled), int(disabled), to_text(now), account.id],
    )
    return get_account(con, login)


def set_role(
    con: sqlite3.Connection, login: str, role: str, scope: list[str] | None, now: datetime
) -> Account:
    account = get_account(con, login)
    checked = check_scope(role, scope)
    con.execute(
        "UPDATE accounts SET role = ?, scope = ?, changed_at = ? WHERE id = ?",
        [role, json.dumps(checked), to_text(now), account.id],
    )
    return get_account(con, login)


def set_password(con: sqlite3.Connection, login: str, password: str, now: datetime) -> Account:
    """A new password (policy checked); lifts a lock-out."""
    account = get_account(con, login)
    check_policy(password, account.login)
    stamp = to_text(now)
    con.execute(
        "UPDATE accounts SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, "
        "locked_until = NULL, changed_at = ? WHERE id = ?",
        [hash_password(password), stamp, stamp, account.id],
    )
    return get_account(con, login)


def store_rehash(con: sqlite3.Connection, account: Account, new_hash: str) -> None:
    """A hash of the same password with the current parameters (not a password change)."""
    con.execute("UPDATE accounts SET password_hash = ? WHERE id = ?", [new_hash, account.id])


def record_failure(con: sqlite3.Connection, account: Account, now: datetime) -> Account:
    """Count a failed sign-in; the MAX_FAILURES-th in a row locks the account. A lock that
    has run out starts a new count (else one more mistake would lock again at once)."""
    now = aware(now)
    lapsed = account.locked_until is not None and account.locked_until <= now
    failures = (0 if lapsed else account.failed_attempts) + 1
    locked_until = now + LOCK_DURATION if failures >= MAX_FAILURES else None
    con.execute(
        "UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE id = ?",
        [failures, to_text(locked_until), account.id],
    )
    return account_by_id(con, account.id)


def record_success(con: sqlite3.Connection, account: Account) -> Account:
    con.execute(
        "UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
        [account.id],
    )
    return account_by_id(con, account.id)


def _account(row: tuple) -> Account:
    return Account(
        id=row[0],
        login=row[1],
        display_name=row[2],
        role=row[3],
        scope=tuple(json.loads(row[4])),
        password_hash=row[5],
        disabled=bool(row[6]),
        failed_attempts=row[7],
        locked_until=from_text(row[8]),
        password_changed_at=from_text(row[9]),
        created_at=from_text(row[10]),
        changed_at=from_text(row[11]),
    )
