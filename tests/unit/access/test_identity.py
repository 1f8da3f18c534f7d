"""Sign-in with a local password: reason codes for the audit trail, one generic message for
the user, lock-out and its end (time injected), rehash of old parameters."""

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from hospiscope.access import accounts, identity
from hospiscope.access.accounts import LOCK_DURATION, MAX_FAILURES, add_account, get_account
from hospiscope.access.identity import (
    DISABLED,
    GENERIC_REFUSAL,
    LOCKED,
    UNKNOWN,
    WRONG_PASSWORD,
    IdentityProvider,
    LocalPasswords,
    authenticate,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def con():
    connection = sqlite3.connect(":memory:")
    connection.executescript(accounts.SCHEMA)
    add_account(connection, "alice", "etablissement", ["750712184"], PASSWORD, NOW)
    yield connection
    connection.close()


def test_success_returns_the_account(con):
    signed = authenticate(con, " Alice ", PASSWORD, NOW)
    assert signed.ok and signed.account.login == "alice" and signed.refusal is None
    assert signed.message == "Connexion réussie."


def test_unknown_and_wrong_password_say_the_same(con, monkeypatch):
    dummy_calls = []
    monkeypatch.setattr(identity, "verify_dummy", lambda password: dummy_calls.append(1))
    unknown = authenticate(con, "bob", PASSWORD, NOW)
    wrong = authenticate(con, "alice", "mauvais mot de passe", NOW)
    assert (unknown.refusal, wrong.refusal) == (UNKNOWN, WRONG_PASSWORD)
    assert unknown.message == wrong.message == GENERIC_REFUSAL
    assert unknown.account is None and dummy_calls == [1]  # a hash verified all the same
    assert get_account(con, "alice").failed_attempts == 1


def test_lock_out_and_unlock_after_the_delay(con):
    for attempt in range(MAX_FAILURES):
        assert authenticate(con, "alice", "faux", NOW).refusal == WRONG_PASSWORD, attempt
    locked = authenticate(con, "alice", PASSWORD, NOW + timedelta(minutes=1))
    assert locked.refusal == LOCKED and not locked.ok
    assert locked.message == (
        "Compte verrouillé après 5 échecs de connexion : réessayez après 08:15 (heure UTC)."
    )
    still = authenticate(con, "alice", PASSWORD, NOW + LOCK_DURATION - timedelta(seconds=1))
    assert still.refusal == LOCKED
    after = authenticate(con, "alice", PASSWORD, NOW + LOCK_DURATION)
    assert after.ok and after.account.failed_attempts == 0


def test_success_resets_the_count(con):
    for _ in range(MAX_FAILURES - 1):
        authenticate(con, "alice", "faux", NOW)
    assert authenticate(con, "alice", PASSWORD, NOW).ok
    for _ in range(MAX_FAILURES - 1):
        authenticate(con, "alice", "faux", NOW)
    assert authenticate(con, "alice", PASSWORD, NOW).ok  # never five in a row


def test_disabled_is_said_only_with_the_right_password(con):
    accounts.set_disabled(con, "alice", True, NOW)
    assert authenticate(con, "alice", "faux", NOW).message == GENERIC_REFUSAL
    disabled = authenticate(con, "alice", PASSWORD, NOW)
    assert disabled.refusal == DISABLED and "désactivé" in disabled.message


def test_account_without_password_cannot_sign_in(con):
    add_account(con, "oidc.user", "national", [], None, NOW)
    assert authenticate(con, "oidc.user", "", NOW).refusal == WRONG_PASSWORD


def test_old_parameters_are_rehashed_on_sign_in(con):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    con.execute("UPDATE accounts SET password_hash = ? WHERE login = 'alice'", [weak])
    assert authenticate(con, "alice", PASSWORD, NOW).ok
    stored = get_account(con, "alice").password_hash
    assert stored != weak and not PasswordHasher().check_needs_rehash(stored)
    assert authenticate(con, "alice", PASSWORD, NOW).ok


def test_local_passwords_is_an_identity_provider():
    provider: IdentityProvider = LocalPasswords()
    assert provider.name == "local" and callable(provider.authenticate)
