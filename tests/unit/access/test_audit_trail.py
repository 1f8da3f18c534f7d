"""The audit trail is append-only (triggers refuse UPDATE and DELETE) and read newest first,
by user and date."""

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from hospiscope.access import audit
from hospiscope.access.audit import OK, REFUSED, count, read, record

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def con():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.executescript(audit.SCHEMA)
    yield connection
    connection.close()


def _some_events(con):
    record(
        con,
        actor=None,
        role=None,
        action=audit.SIGN_IN,
        outcome=REFUSED,
        client="192.0.2.1",
        details={"raison": "unknown", "login": "bob"},
        at=NOW,
    )
    record(
        con,
        actor="alice",
        role="etablissement",
        action=audit.SIGN_IN,
        outcome=OK,
        at=NOW + timedelta(days=1),
    )
    record(
        con,
        actor="alice",
        role="etablissement",
        action=audit.PRIVATE_ACCESS,
        outcome=OK,
        entity_kind="etablissement",
        entity_id="750712184",
        route="/espace/etablissement/750712184",
        at=NOW + timedelta(days=2),
    )
    record(
        con,
        actor="cli:root",
        role="cli",
        action=audit.ACCOUNT_DISABLE,
        outcome=OK,
        entity_kind="account",
        entity_id="alice",
        at=NOW + timedelta(days=3),
    )


def test_record_and_read_newest_first(con):
    _some_events(con)
    events = read(con)
    assert [e.seq for e in events] == [4, 3, 2, 1]
    first = events[-1]
    assert (first.actor, first.outcome, first.client) == (None, REFUSED, "192.0.2.1")
    assert first.details == {"raison": "unknown", "login": "bob"} and first.at == NOW
    assert events[1].route == "/espace/etablissement/750712184"


def test_read_by_user_since_and_limit(con):
    _some_events(con)
    # Alice's own events and what was done to her account.
    assert [e.seq for e in read(con, user="Alice")] == [4, 3, 2]
    assert [e.seq for e in read(con, user="cli:root")] == [4]
    assert [e.seq for e in read(con, since=date(2025, 3, 3))] == [4, 3]
    assert [e.seq for e in read(con, since=NOW + timedelta(days=1, hours=1))] == [4, 3]
    assert [e.seq for e in read(con, limit=2)] == [4, 3]
    assert len(read(con, limit=0)) == len(read(con, limit=None)) == 4


def test_update_and_delete_are_refused(con):
    _some_events(con)
    with pytest.raises(sqlite3.IntegrityError, match="ne peut pas être modifié"):
        con.execute("UPDATE audit_events SET outcome = 'ok' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="ne peut pas être supprimé"):
        con.execute("DELETE FROM audit_events WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="ne peut pas être supprimé"):
        con.execute("DELETE FROM audit_events")
    assert count(con) == 4 and read(con)[-1].outcome == REFUSED


def test_an_aborted_update_inside_a_transaction_changes_nothing(con):
    _some_events(con)
    con.execute("BEGIN")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE audit_events SET actor = 'x'")
    con.execute("COMMIT")
    assert {e.actor for e in read(con)} == {None, "alice", "cli:root"}


def test_outcome_is_checked(con):
    with pytest.raises(ValueError, match="outcome"):
        record(con, actor="a", role="r", action="x", outcome="maybe")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute(
            "INSERT INTO audit_events (at, action, outcome) VALUES ('2025-01-01', 'x', 'peut-être')"
        )


def test_recent_events_of_one_actor_and_action(con):
    _some_events(con)
    for day in (4, 5):
        record(
            con,
            actor="alice",
            role="etablissement",
            action=audit.SIGN_IN,
            outcome=REFUSED if day == 5 else OK,
            at=NOW + timedelta(days=day),
        )
    found = audit.recent(con, "alice", audit.SIGN_IN, limit=2)
    assert [(e.seq, e.outcome) for e in found] == [(6, REFUSED), (5, OK)]
    assert [e.seq for e in audit.recent(con, "alice", audit.SIGN_IN)] == [6, 5, 2]
    assert audit.recent(con, "bob", audit.SIGN_IN) == []  # bob is in details only
