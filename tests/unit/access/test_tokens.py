"""Personal API tokens: shown once, stored as a SHA-256 digest, expiry, revocation."""

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from hospiscope.access import accounts, tokens
from hospiscope.access.accounts import AccountError, add_account, set_disabled
from hospiscope.access.tokens import (
    DEFAULT_DAYS,
    DISABLED,
    EXPIRED,
    PREFIX,
    REVOKED,
    UNKNOWN,
    issue_token,
    list_tokens,
    revoke_token,
    verify_token,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def con():
    connection = sqlite3.connect(":memory:")
    connection.executescript(accounts.SCHEMA + tokens.SCHEMA)
    yield connection
    connection.close()


@pytest.fixture
def alice(con):
    return add_account(con, "alice", "ars", ["84"], None, NOW)


def test_issued_token_is_stored_as_digest_only(con, alice):
    issued = issue_token(con, alice, NOW, label="script")
    assert issued.secret.startswith(PREFIX) and len(issued.secret) > 40
    stored = con.execute("SELECT * FROM api_tokens").fetchall()
    assert issued.secret not in repr(stored)
    assert hashlib.sha256(issued.secret.encode()).hexdigest() in repr(stored)
    assert issued.token.expires_at == NOW + timedelta(days=DEFAULT_DAYS) == NOW + timedelta(90)
    assert issue_token(con, alice, NOW).secret != issued.secret


def test_verify_returns_the_account_and_dates_the_use(con, alice):
    issued = issue_token(con, alice, NOW)
    later = NOW + timedelta(days=3)
    check = verify_token(con, issued.secret, later)
    assert check.ok and check.account.login == "alice" and check.token.last_used_at == later
    assert list_tokens(con, alice.id)[0].last_used_at == later


def test_unknown_tokens(con, alice):
    issue_token(con, alice, NOW)
    for secret in ("", "abc", PREFIX + "inconnu"):
        check = verify_token(con, secret, NOW)
        assert check.refusal == UNKNOWN and check.account is None
        assert check.message == "Jeton d'accès inconnu."


def test_expired_token(con, alice):
    issued = issue_token(con, alice, NOW, days=1)
    assert verify_token(con, issued.secret, NOW + timedelta(hours=23)).ok
    check = verify_token(con, issued.secret, NOW + timedelta(days=1))
    assert check.refusal == EXPIRED and "expiré" in check.message
    assert check.token.state(NOW + timedelta(days=1)) == "expiré"


def test_revoked_token(con, alice):
    issued = issue_token(con, alice, NOW)
    revoked = revoke_token(con, issued.token.id, NOW + timedelta(hours=1))
    assert revoked.revoked_at == NOW + timedelta(hours=1) and revoked.state(NOW) == "révoqué"
    again = revoke_token(con, issued.token.id, NOW + timedelta(hours=2))
    assert again.revoked_at == revoked.revoked_at
    check = verify_token(con, issued.secret, NOW + timedelta(hours=3))
    assert check.refusal == REVOKED and check.message == "Jeton d'accès révoqué."
    with pytest.raises(AccountError, match="jeton inconnu : n° 99"):
        revoke_token(con, 99, NOW)


def test_token_of_a_disabled_account(con, alice):
    issued = issue_token(con, alice, NOW)
    set_disabled(con, "alice", True, NOW)
    assert verify_token(con, issued.secret, NOW).refusal == DISABLED
    with pytest.raises(AccountError, match="désactivé"):
        issue_token(con, accounts.get_account(con, "alice"), NOW)


@pytest.mark.parametrize("days", [0, -1, 367])
def test_validity_is_bounded(con, alice, days):
    with pytest.raises(AccountError, match="durée de validité invalide"):
        issue_token(con, alice, NOW, days=days)


def test_find_own_token_reads_another_accounts_as_none(con, alice):
    bob = add_account(con, "bob", "national", [], None, NOW)
    mine = issue_token(con, alice, NOW, "le mien").token
    theirs = issue_token(con, bob, NOW, "le sien").token
    assert tokens.find_own_token(con, alice.id, mine.id) == mine
    assert tokens.find_own_token(con, alice.id, theirs.id) is None
    assert tokens.find_own_token(con, alice.id, 9999) is None
