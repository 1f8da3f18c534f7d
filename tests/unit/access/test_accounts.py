"""Accounts: roles and the scope each needs, changes, the failure count and lock-out."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hospiscope.access import accounts
from hospiscope.access.accounts import (
    LOCK_DURATION,
    MAX_FAILURES,
    AccountError,
    add_account,
    check_scope,
    get_account,
    list_accounts,
    record_failure,
    record_success,
    set_disabled,
    set_password,
    set_role,
)
from hospiscope.access.passwords import PasswordRefused, verify_password

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def con():
    connection = sqlite3.connect(":memory:")
    connection.executescript(accounts.SCHEMA)
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("role", "scope", "expected"),
    [
        ("etablissement", ["750712184", " 750712184", "2A0000014"], ("2A0000014", "750712184")),
        ("ght", ["ght-idf-01"], ("GHT-IDF-01",)),
        ("ars", ["84"], ("84",)),
        ("ars", ["1"], ("01",)),
        ("national", [], ()),
        ("admin", None, ()),
    ],
)
def test_scope_fits_the_role(role, scope, expected):
    assert check_scope(role, scope) == expected


@pytest.mark.parametrize(
    ("role", "scope", "words"),
    [
        ("directeur", [], "rôle inconnu : « directeur »"),
        ("etablissement", [], "demande un périmètre : un ou plusieurs numéros FINESS"),
        ("etablissement", ["75071218"], "numéro FINESS invalide : 75071218"),
        ("etablissement", ["2C0000014"], "numéro FINESS invalide"),
        ("ght", [], "demande un périmètre"),
        ("ght", ["GHT 01"], "code de GHT invalide"),
        ("ars", ["84", "93"], "une seule région"),
        ("ars", ["99"], "région inconnue : « 99 »"),
        ("national", ["84"], "n'a pas de périmètre"),
        ("admin", ["750712184"], "n'a pas de périmètre"),
    ],
)
def test_scope_refusals_are_french(role, scope, words):
    with pytest.raises(AccountError, match=words):
        check_scope(role, scope)


def test_add_and_list(con):
    made = add_account(con, " Alice.Martin ", "ars", ["84"], PASSWORD, NOW, "Alice Martin")
    assert made.login == "alice.martin" and made.scope == ("84",) and made.created_at == NOW
    assert verify_password(made.password_hash, PASSWORD)
    assert "password_hash" not in repr(made)
    add_account(con, "bob", "national", [], None, NOW)
    assert [a.login for a in list_accounts(con)] == ["alice.martin", "bob"]
    assert get_account(con, "ALICE.MARTIN").id == made.id


def test_add_refusals(con):
    add_account(con, "alice", "national", [], PASSWORD, NOW)
    with pytest.raises(AccountError, match="existe déjà"):
        add_account(con, "Alice", "admin", [], PASSWORD, NOW)
    with pytest.raises(AccountError, match="identifiant invalide"):
        add_account(con, "é", "admin", [], PASSWORD, NOW)
    with pytest.raises(PasswordRefused, match="trop court"):
        add_account(con, "carol", "admin", [], "court", NOW)
    with pytest.raises(AccountError, match="compte inconnu : « dave »"):
        get_account(con, "dave")
    assert [a.login for a in list_accounts(con)] == ["alice"]


def test_disable_enable_role_password(con):
    add_account(con, "alice", "etablissement", ["750712184"], PASSWORD, NOW)
    later = NOW + timedelta(hours=1)
    assert set_disabled(con, "alice", True, later).state(later) == "désactivé"
    assert set_disabled(con, "alice", False, later).state(later) == "actif"
    changed = set_role(con, "alice", "ght", ["G1"], later)
    assert (changed.role, changed.scope, changed.changed_at) == ("ght", ("G1",), later)
    with pytest.raises(AccountError):
        set_role(con, "alice", "ars", [], later)
    renewed = set_password(con, "alice", "une autre phrase de passe", later)
    assert verify_password(renewed.password_hash, "une autre phrase de passe")
    assert renewed.password_changed_at == later
    with pytest.raises(PasswordRefused):
        set_password(con, "alice", "alice", later)


def test_lock_out_after_max_failures_and_reset(con):
    account = add_account(con, "alice", "national", [], PASSWORD, NOW)
    for _ in range(MAX_FAILURES - 1):
        account = record_failure(con, account, NOW)
        assert not account.locked(NOW)
    account = record_failure(con, account, NOW)
    assert account.locked(NOW) and account.locked_until == NOW + LOCK_DURATION
    assert account.state(NOW) == "verrouillé"
    assert not account.locked(NOW + LOCK_DURATION)
    # A lock that has run out starts a new count: one more mistake does not lock again.
    account = record_failure(con, account, NOW + LOCK_DURATION)
    assert account.failed_attempts == 1 and not account.locked(NOW + LOCK_DURATION)
    account = record_success(con, account)
    assert account.failed_attempts == 0 and account.locked_until is None


def test_enable_and_new_password_lift_a_lock(con):
    account = add_account(con, "alice", "national", [], PASSWORD, NOW)
    for _ in range(MAX_FAILURES):
        account = record_failure(con, account, NOW)
    assert set_disabled(con, "alice", False, NOW).locked_until is None
    for _ in range(MAX_FAILURES):
        account = record_failure(con, account, NOW)
    assert not set_password(con, "alice", PASSWORD + "!", NOW).locked(NOW)


def test_lock_constants_are_hospiscope_choice():
    assert MAX_FAILURES == 5 and timedelta(minutes=15) == LOCK_DURATION
    assert "hospiscope's choice" in Path(accounts.__file__).read_text("utf-8")
