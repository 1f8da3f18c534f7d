"""Server-side sessions: hashed id, CSRF token, idle and absolute expiry, revocation."""

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from hospiscope.access import accounts, sessions
from hospiscope.access.accounts import add_account, set_disabled
from hospiscope.access.sessions import (
    ABSOLUTE_TIMEOUT,
    DISABLED,
    EXPIRED,
    IDLE,
    IDLE_TIMEOUT,
    REVOKED,
    UNKNOWN,
    check_session,
    count_open_sessions,
    csrf_matches,
    open_session,
    purge_sessions,
    revoke_account_sessions,
    revoke_other_sessions,
    revoke_session,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def con():
    connection = sqlite3.connect(":memory:")
    connection.executescript(accounts.SCHEMA + sessions.SCHEMA)
    yield connection
    connection.close()


@pytest.fixture
def alice(con):
    return add_account(con, "alice", "national", [], None, NOW)


def test_session_id_is_stored_hashed(con, alice):
    opened = open_session(con, alice, NOW, client="192.0.2.1")
    stored = repr(con.execute("SELECT * FROM sessions").fetchall())
    assert opened.cookie_value not in stored
    assert hashlib.sha256(opened.cookie_value.encode()).hexdigest() in stored
    assert opened.session.ends_at == NOW + ABSOLUTE_TIMEOUT and opened.session.client
    other = open_session(con, alice, NOW)
    assert other.cookie_value != opened.cookie_value
    assert other.session.csrf_token != opened.session.csrf_token


def test_check_restarts_the_idle_clock(con, alice):
    cookie = open_session(con, alice, NOW).cookie_value
    moment = NOW
    for _ in range(3):  # used every 20 minutes: never idle
        moment += timedelta(minutes=20)
        check = check_session(con, cookie, moment)
        assert check.ok and check.account.login == "alice"
        assert check.session.last_seen_at == moment


def test_idle_expiry(con, alice):
    cookie = open_session(con, alice, NOW).cookie_value
    check = check_session(con, cookie, NOW + IDLE_TIMEOUT)
    assert check.refusal == IDLE and "30 minutes d'inactivité" in check.message


def test_absolute_expiry_whatever_the_activity(con, alice):
    cookie = open_session(con, alice, NOW).cookie_value
    moment = NOW
    while moment + timedelta(minutes=20) < NOW + ABSOLUTE_TIMEOUT:
        moment += timedelta(minutes=20)
        assert check_session(con, cookie, moment).ok
    check = check_session(con, cookie, NOW + ABSOLUTE_TIMEOUT)
    assert check.refusal == EXPIRED and "12 heures" in check.message


def test_unknown_and_tampered_cookies(con, alice):
    cookie = open_session(con, alice, NOW).cookie_value
    for value in ("", "inconnu", cookie[:-1], cookie + "x"):
        assert check_session(con, value, NOW).refusal == UNKNOWN


def test_sign_out_and_revoke_all(con, alice):
    first, second = (open_session(con, alice, NOW).cookie_value for _ in range(2))
    assert revoke_session(con, first, NOW).revoked_at == NOW
    assert revoke_session(con, "inconnu", NOW) is None
    assert check_session(con, first, NOW).refusal == REVOKED
    assert check_session(con, second, NOW).ok
    assert revoke_account_sessions(con, alice.id, NOW) == 1  # the one still open
    assert check_session(con, second, NOW).refusal == REVOKED


def test_session_of_a_disabled_account(con, alice):
    cookie = open_session(con, alice, NOW).cookie_value
    set_disabled(con, "alice", True, NOW)
    assert check_session(con, cookie, NOW).refusal == DISABLED


def test_csrf_token(con, alice):
    session = open_session(con, alice, NOW).session
    assert len(session.csrf_token) >= 40
    assert csrf_matches(session, session.csrf_token)
    assert not csrf_matches(session, None)
    assert not csrf_matches(session, "")
    assert not csrf_matches(session, session.csrf_token[:-1] + "x")


def test_purge_keeps_recent_sessions(con, alice):
    old = open_session(con, alice, NOW).cookie_value
    recent = open_session(con, alice, NOW + timedelta(days=2)).cookie_value
    assert purge_sessions(con, NOW + timedelta(days=2)) == 1
    assert check_session(con, old, NOW).refusal == UNKNOWN
    assert check_session(con, recent, NOW + timedelta(days=2)).ok


def test_timeouts_are_hospiscope_choice():
    assert timedelta(minutes=30) == IDLE_TIMEOUT and timedelta(hours=12) == ABSOLUTE_TIMEOUT


def test_revoke_the_other_sessions_keeps_one(con, alice):
    kept, *others = (open_session(con, alice, NOW) for _ in range(3))
    bob = add_account(con, "bob", "national", [], None, NOW)
    bobs = open_session(con, bob, NOW).cookie_value
    assert revoke_other_sessions(con, alice.id, kept.session.id, NOW) == 2
    assert check_session(con, kept.cookie_value, NOW).ok
    assert all(check_session(con, o.cookie_value, NOW).refusal == REVOKED for o in others)
    assert check_session(con, bobs, NOW).ok  # another account's: untouched
    assert revoke_other_sessions(con, alice.id, kept.session.id, NOW) == 0
    assert revoke_other_sessions(con, alice.id, None, NOW) == 1  # None: every one


def test_count_open_sessions_agrees_with_check_session(con, alice):
    assert count_open_sessions(con, alice.id, NOW) == 0
    fresh, idle, gone = (open_session(con, alice, NOW).cookie_value for _ in range(3))
    revoke_session(con, gone, NOW)
    assert count_open_sessions(con, alice.id, NOW) == 2
    later = NOW + IDLE_TIMEOUT - timedelta(minutes=1)
    assert check_session(con, fresh, later).ok  # `idle` is not used again
    assert count_open_sessions(con, alice.id, NOW + IDLE_TIMEOUT) == 1
    assert check_session(con, idle, NOW + IDLE_TIMEOUT).refusal == IDLE
    assert count_open_sessions(con, alice.id, NOW + ABSOLUTE_TIMEOUT) == 0
