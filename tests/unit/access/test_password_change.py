"""A signed-in account changes its own password: the current one verified by the identity
layer (a wrong one counts towards the lock-out), the policy's messages, the other sessions
ended and this one kept; nothing changed on a refusal."""

import sqlite3
from datetime import UTC, datetime

import pytest

from hospiscope.access import accounts, sessions, tokens
from hospiscope.access.accounts import MAX_FAILURES, add_account, get_account
from hospiscope.access.identity import LOCKED, WRONG_PASSWORD, authenticate
from hospiscope.access.password_change import (
    MISMATCH,
    NO_LOCAL_PASSWORD,
    POLICY,
    UNCHANGED,
    change_password,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
OLD, NEW = "une phrase de passe assez longue", "une autre phrase, tout aussi longue"


@pytest.fixture
def con():
    connection = sqlite3.connect(":memory:")
    connection.executescript(accounts.SCHEMA + tokens.SCHEMA + sessions.SCHEMA)
    add_account(connection, "alice", "ght", ["GHT-01"], OLD, NOW)
    yield connection
    connection.close()


def _change(con, current=OLD, new=NEW, confirmation=None, keep=None):
    account = get_account(con, "alice")
    confirmation = new if confirmation is None else confirmation
    return change_password(con, account, current, new, confirmation, keep, NOW)


def test_the_password_changes_and_the_other_sessions_end(con):
    alice = get_account(con, "alice")
    here, elsewhere = (sessions.open_session(con, alice, NOW) for _ in range(2))
    changed = _change(con, keep=here.session.id)
    assert changed.ok and changed.closed_sessions == 1 and changed.message == "Mot de passe changé."
    assert changed.account.password_changed_at == NOW
    assert authenticate(con, "alice", NEW, NOW).ok and not authenticate(con, "alice", OLD, NOW).ok
    assert sessions.check_session(con, here.cookie_value, NOW).ok
    assert sessions.check_session(con, elsewhere.cookie_value, NOW).refusal == sessions.REVOKED


def test_a_wrong_current_password_counts_towards_the_lock_out(con):
    refused = _change(con, current="pas la bonne phrase")
    assert refused.refusal == WRONG_PASSWORD and "Mot de passe actuel incorrect" in refused.message
    assert get_account(con, "alice").failed_attempts == 1
    for _ in range(MAX_FAILURES - 1):
        last = _change(con, current="pas la bonne phrase")
    assert last.refusal == LOCKED and "verrouillé après 5 échecs" in last.message
    assert _change(con).refusal == LOCKED  # the right one too, while locked
    assert authenticate(con, "alice", NEW, NOW).refusal == LOCKED  # nothing changed
    assert authenticate(con, "alice", OLD, NOW).refusal == LOCKED


@pytest.mark.parametrize(
    ("new", "confirmation", "refusal", "message"),
    [
        ("court", None, POLICY, "Mot de passe trop court (5 caractère(s)) : au moins 12"),
        ("  ALICE  " + " " * 4, None, POLICY, "Le mot de passe ne peut pas être l'identifiant"),
        (NEW, NEW + " ", MISMATCH, "Les deux saisies du nouveau mot de passe diffèrent"),
        (OLD, None, UNCHANGED, "Le nouveau mot de passe est l'actuel"),
    ],
)
def test_a_refused_new_password_changes_nothing(con, new, confirmation, refusal, message):
    refused = _change(con, new=new, confirmation=confirmation)
    assert refused.refusal == refusal and refused.message.startswith(message)
    assert refused.message.endswith(".") and not refused.ok
    after = get_account(con, "alice")
    assert after.failed_attempts == 0 and after.password_changed_at == NOW  # at creation
    assert authenticate(con, "alice", OLD, NOW).ok


def test_an_account_without_a_local_password(con):
    bob = add_account(con, "bob", "national", [], None, NOW)
    refused = change_password(con, bob, "", NEW, NEW, None, NOW)
    assert refused.refusal == NO_LOCAL_PASSWORD and "administrateur des comptes" in refused.message
    assert get_account(con, "bob").password_hash is None
