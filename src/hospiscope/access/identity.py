"""Who is signing in: the identity layer, behind one small protocol so that another provider
(an OpenID Connect provider of the ministry or of a region, say) can replace local passwords
without touching sessions, tokens, the authorisation rule or the audit trail.

A provider turns credentials into a `SignIn`: the account, or a refusal with a precise reason
code. The precise code goes to the audit trail; what the user reads is `SignIn.message`, which
says the same thing for an unknown login and a wrong password (no enumeration of accounts).
Accounts, roles and scopes stay hospiscope's own in every case: a provider says who someone
is, never what they may see.

`LocalPasswords` is the provider shipped: login and argon2-hashed password, lock-out after
repeated failures (accounts.MAX_FAILURES, LOCK_DURATION). An OpenID Connect provider would
take the claims of an ID token already verified by the web layer's callback (signature
checked against keys configured locally: nothing is fetched at run time), find the account
whose login is the `sub` or e-mail claim, and refuse `unknown` or `disabled` the same way."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hospiscope.access.accounts import (
    MAX_FAILURES,
    Account,
    find_account,
    record_failure,
    record_success,
    store_rehash,
)
from hospiscope.access.clock import aware
from hospiscope.access.passwords import (
    hash_password,
    needs_rehash,
    verify_dummy,
    verify_password,
)

# Refusal reason codes (recorded in the audit trail's details).
UNKNOWN, WRONG_PASSWORD, LOCKED, DISABLED = "unknown", "wrong_password", "locked", "disabled"
GENERIC_REFUSAL = "Identifiant ou mot de passe incorrect."


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt."""

    login: str  # as typed (for the audit trail when no account has it)
    account: Account | None = None
    refusal: str | None = None  # None: signed in
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None

    @property
    def message(self) -> str:
        """What the person signing in reads (French)."""
        if self.ok:
            return "Connexion réussie."
        if self.refusal == LOCKED and self.locked_until is not None:
            return (
                f"Compte verrouillé après {MAX_FAILURES} échecs de connexion : réessayez après "
                f"{self.locked_until:%H:%M} (heure UTC)."
            )
        if self.refusal == DISABLED:
            return "Ce compte est désactivé : adressez-vous à l'administrateur des comptes."
        return GENERIC_REFUSAL


@dataclass(frozen=True)
class PasswordCredentials:
    login: str
    password: str


class IdentityProvider(Protocol):
    """Turns credentials into a SignIn, updating the account (failure count, lock-out, hash
    parameters) on `con`; the caller owns the transaction and records the audit event."""

    name: str

    def authenticate(self, con: sqlite3.Connection, credentials, now: datetime) -> SignIn: ...


class LocalPasswords:
    """Local accounts with argon2-hashed passwords."""

    name = "local"

    def authenticate(
        self, con: sqlite3.Connection, credentials: PasswordCredentials, now: datetime
    ) -> SignIn:
        now = aware(now)
        login, password = credentials.login, credentials.password
        account = find_account(con, login)
        if account is None:
            verify_dummy(password)  # the same work as for a real account
            return SignIn(login, refusal=UNKNOWN)
        if account.locked(now):
            # Not verified at all while locked: guessing goes no further during the lock.
            verify_dummy(password)
            return SignIn(login, account, LOCKED, account.locked_until)
        if not verify_password(account.password_hash, password):
            account = record_failure(con, account, now)
            return SignIn(login, account, WRONG_PASSWORD, account.locked_until)
        if account.disabled:
            # Said only to whoever knows the password (else: the generic refusal above).
            return SignIn(login, account, DISABLED)
        if needs_rehash(account.password_hash):
            store_rehash(con, account, hash_password(password))
        return SignIn(login, record_success(con, account))


def authenticate(
    con: sqlite3.Connection, login: str, password: str, now: datetime | None = None
) -> SignIn:
    """Sign in with a local password (LocalPasswords)."""
    return LocalPasswords().authenticate(con, PasswordCredentials(login, password), aware(now))
