"""Account changes shared by `hospiscope users` and the admin page: each audited with its
action in the change's transaction, refusals recorded with why; an administrator cannot
disable itself, remove its own admin role nor reset its own password (the command line,
a system user, can); scopes checked against a perimeter; one-time passwords."""

import contextlib
import re

import pytest
from accessworld import EJA, G1, UNKNOWN, A, world

from hospiscope.access import account_changes, audit, sessions
from hospiscope.access.account_changes import Actor, audited_change
from hospiscope.access.account_scope import check_scope_known
from hospiscope.access.accounts import AccountError, add_account, get_account
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase
from hospiscope.access.passwords import check_policy, one_time_password
from hospiscope.access.perimeter import Perimeter

PASSWORD = "une phrase de passe assez longue"
CLI = Actor(name="cli:root", role="cli")
ADMIN = Actor(name="chef", role="admin", account="chef", route="/espace/comptes/x", client="::1")


@pytest.fixture
def db(tmp_path):
    with AccessDatabase(tmp_path / "w-acces.sqlite") as database:
        with database.transaction() as con:
            for login, role in (("chef", "admin"), ("alice", "national")):
                add_account(con, login, role, [], PASSWORD, utc_now())
        yield database


def _events(db, action):
    return [e for e in audit.read(db.con, limit=0) if e.action == action]


def test_a_change_and_its_event_are_recorded_together(db):
    with db.transaction() as con:
        opened = sessions.open_session(con, get_account(con, "alice"), utc_now())
    work = account_changes.set_state(ADMIN, "alice", True)
    account = audited_change(db.transaction, ADMIN, audit.ACCOUNT_DISABLE, "Alice", work)
    assert account.disabled
    assert sessions.check_session(db.con, opened.cookie_value, utc_now()).refusal == "revoked"
    [event] = _events(db, audit.ACCOUNT_DISABLE)
    assert (event.actor, event.role, event.route, event.client) == (
        "chef", "admin", "/espace/comptes/x", "::1")  # fmt: skip
    assert (event.entity_kind, event.entity_id, event.outcome) == ("account", "alice", "ok")
    assert event.details == {"sessions_fermees": 1}


@pytest.mark.parametrize(
    ("work", "words"),
    [
        (account_changes.set_state(ADMIN, "Chef", True), "désactiver votre propre compte"),
        (account_changes.change_role(ADMIN, "chef", "national", []), "propre rôle admin"),
        (account_changes.change_password(ADMIN, "chef", PASSWORD + "!"), "page Mon compte"),
    ],
)
def test_an_administrator_cannot_lock_itself_out(db, work, words):
    with pytest.raises(AccountError, match=words):
        audited_change(db.transaction, ADMIN, "account.x", "chef", work)
    chef = get_account(db.con, "chef")
    assert chef.role == "admin" and not chef.disabled and chef.changed_at == chef.created_at
    [event] = _events(db, "account.x")
    assert event.outcome == audit.REFUSED and words in event.details["raison"]


def test_its_own_scope_unchanged_and_others_changes_are_allowed(db):
    keep = account_changes.change_role(ADMIN, "chef", "admin", [])
    assert audited_change(db.transaction, ADMIN, audit.ACCOUNT_ROLE, "chef", keep).role == "admin"
    other = account_changes.set_state(ADMIN, "alice", True)
    assert audited_change(db.transaction, ADMIN, audit.ACCOUNT_DISABLE, "alice", other).disabled


def test_the_command_line_is_no_account_and_may_do_it(db):
    work = account_changes.set_state(CLI, "chef", True)
    assert audited_change(db.transaction, CLI, audit.ACCOUNT_DISABLE, "chef", work).disabled


def test_a_failed_check_is_recorded_and_nothing_is_written(db):
    def check():
        raise AccountError("FINESS inconnu(s) : 999999999")

    work = account_changes.add("bob", "etablissement", [UNKNOWN], PASSWORD, None)
    with pytest.raises(AccountError):
        audited_change(db.transaction, ADMIN, audit.ACCOUNT_ADD, "bob", work, check)
    [event] = _events(db, audit.ACCOUNT_ADD)
    assert event.details == {"raison": "FINESS inconnu(s) : 999999999"}
    assert db.con.execute("SELECT count(*) FROM accounts WHERE login = 'bob'").fetchone()[0] == 0


def test_a_token_revoked_through_its_owner_only(db):
    from hospiscope.access.tokens import issue_token

    with db.transaction() as con:
        token = issue_token(con, get_account(con, "alice"), utc_now()).token
    with pytest.raises(AccountError, match="jeton inconnu pour « chef »"):
        audited_change(db.transaction, ADMIN, audit.TOKEN_REVOKE, "chef",
                       account_changes.revoke(token.id, owner="chef"))  # fmt: skip
    revoked = audited_change(db.transaction, ADMIN, audit.TOKEN_REVOKE, "alice",
                             account_changes.revoke(token.id, owner="alice"))  # fmt: skip
    assert revoked.revoked_at is not None


@pytest.mark.parametrize(
    ("role", "scope", "words"),
    [
        ("etablissement", (A, EJA), None),
        ("etablissement", (A, UNKNOWN), f"FINESS inconnu(s) du registre de l'entrepôt : {UNKNOWN}"),
        ("ght", (G1,), None),
        ("ght", (G1, "GHT-X"), "GHT inconnu(s) de l'entrepôt : GHT-X"),
        ("ars", ("99",), None),  # (the reference geography's: accounts.check_scope)
        ("national", (), None),
    ],
)
def test_scopes_checked_against_the_perimeter(role, scope, words):
    context = pytest.raises(AccountError, match=re.escape(words)) if words else _nothing()
    with context:
        check_scope_known(role, scope, world())


def test_ght_scopes_need_a_composition():
    bare = Perimeter(et_ej={A: EJA}, et_region={A: "11"})
    with pytest.raises(AccountError, match=r"composition des GHT.*\(reçu : G1\)"):
        check_scope_known("ght", ("G1",), bare, source="/tmp/w.duckdb")


def test_one_time_passwords_meet_the_policy_and_differ():
    made = {one_time_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        check_policy(password, "alice")
        assert re.fullmatch(r"([a-z2-9]{5}-){3}[a-z2-9]{5}", password)
        assert not set(password) & set("01ilo")


@contextlib.contextmanager
def _nothing():
    yield
