"""`hospiscope users …` and `hospiscope audit` end to end: French messages, non-zero exit
codes on errors, every account change in the audit trail (refused ones too), scopes checked
against the warehouse registry, tokens shown once, lock-out seen from the command line."""

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from hospiscope.access import tokens
from hospiscope.access.accounts import LOCK_DURATION, MAX_FAILURES
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.access.identity import GENERIC_REFUSAL, LOCKED, authenticate

from support import FIXTURES, hospiscope

PASSWORD = "une phrase de passe assez longue"
ET, EJ = "010000065", "010780096"  # in tests/fixtures/finess/etalab-extrait.csv


def run(*args, password: str | None = None, code: int = 0):
    """The command as a user runs it, the password given on standard input."""
    done = subprocess.run(
        [sys.executable, "-m", "hospiscope", *map(str, args)],
        input=password + "\n" if password is not None else "",
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == code, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def registry_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("w") / "w.duckdb"
    hospiscope("import", "registry", "-w", path, FIXTURES / "finess" / "etalab-extrait.csv")
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE IF NOT EXISTS ght_members (ght_code VARCHAR, ght_name VARCHAR, "
        "support_finess_et VARCHAR, finess_ej VARCHAR, finess_et VARCHAR, origin VARCHAR, "
        "import_run INTEGER)"
    )
    con.execute(
        f"INSERT INTO ght_members VALUES ('GHT01', 'GHT de l''Ain', '{ET}', "
        f"NULL, '{ET}', 'import', 1)"
    )
    con.close()
    return path


@pytest.fixture
def warehouse(tmp_path):
    """A warehouse path with no warehouse yet: scopes are not checked against a registry."""
    return tmp_path / "w.duckdb"


def add(warehouse, login, *options, code=0, password=PASSWORD):
    return run(
        "users",
        "add",
        login,
        *options,
        "--password-stdin",
        "-w",
        warehouse,
        password=password,
        code=code,
    )


def audit_events(warehouse, *options):
    done = run("audit", "--json", "-w", warehouse, *options)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_add_list_and_audit(warehouse):
    done = add(warehouse, "Alice", "--role", "ars", "--scope", "84", "--name", "Alice Martin")
    assert "Compte « alice » créé : rôle ARS, périmètre 84." in done.stdout
    add(warehouse, "nat", "--role", "national")
    listed = run("users", "list", "-w", warehouse).stdout
    assert "alice" in listed and "Alice Martin" in listed and "ARS" in listed
    assert "actif" in listed and "nat" in listed
    path = access_path(warehouse)
    assert path.exists() and not warehouse.exists()  # no warehouse created by accounts
    events = audit_events(warehouse)
    assert [e["action"] for e in events] == ["account.add", "account.add"]
    assert events[-1]["actor"].startswith("cli:") and events[-1]["role"] == "cli"
    assert events[-1]["entity_id"] == "alice" and events[-1]["details"]["perimetre"] == ["84"]
    assert PASSWORD not in path.read_bytes().decode("latin-1")


def test_refusals_are_french_non_zero_and_audited(warehouse):
    short = add(warehouse, "bob", "--role", "national", password="court", code=1)
    assert "Mot de passe refusé : mot de passe trop court" in short.stderr
    assert "au moins 12 caractères" in short.stderr
    scope = add(warehouse, "carol", "--role", "etablissement", code=1)
    assert "Erreur : le rôle etablissement demande un périmètre" in scope.stderr
    role = add(warehouse, "dave", "--role", "directeur", code=1)
    assert "rôle inconnu : « directeur »" in role.stderr
    empty = add(warehouse, "erin", "--role", "admin", password="", code=1)
    assert "aucun mot de passe lu sur l'entrée standard" in empty.stderr
    add(warehouse, "frank", "--role", "admin")
    twice = add(warehouse, "Frank", "--role", "admin", code=1)
    assert "le compte « frank » existe déjà" in twice.stderr
    refused = [e for e in audit_events(warehouse) if e["outcome"] == "refused"]
    assert {e["entity_id"] for e in refused} == {"bob", "carol", "dave", "frank"}
    assert all(e["details"]["raison"] for e in refused)
    assert "Traceback" not in short.stderr + scope.stderr + twice.stderr


def test_commands_need_an_access_database(warehouse):
    for args in (("users", "list"), ("users", "disable", "x"), ("audit",)):
        done = run(*args, "-w", warehouse, code=2)
        assert "Base d'accès : introuvable" in done.stderr and "users add" in done.stderr
    assert not access_path(warehouse).exists()
    unknown = add(warehouse, "a1", "--role", "admin") and run(
        "users", "disable", "zoe", "-w", warehouse, code=1
    )
    assert "compte inconnu : « zoe »" in unknown.stderr


def test_scope_checked_against_the_registry(registry_warehouse):
    assert (
        "périmètre 010000065"
        in add(registry_warehouse, "et1", "--role", "etablissement", "--scope", ET).stdout
    )
    add(registry_warehouse, "ej1", "--role", "etablissement", "--scope", EJ)
    unknown = add(
        registry_warehouse, "et2", "--role", "etablissement", "--scope", "750712184", code=1
    )
    assert "FINESS inconnu(s) du registre de l'entrepôt" in unknown.stderr
    assert "750712184" in unknown.stderr
    add(registry_warehouse, "ght1", "--role", "ght", "--scope", "ght01")
    wrong = add(registry_warehouse, "ght2", "--role", "ght", "--scope", "GHT99", code=1)
    assert "GHT inconnu(s) de l'entrepôt" in wrong.stderr
    moved = run(
        "users",
        "role",
        "et1",
        "etablissement",
        "--scope",
        "750712184",
        "-w",
        registry_warehouse,
        code=1,
    )
    assert "FINESS inconnu(s)" in moved.stderr


def test_disable_enable_role_password(warehouse):
    add(warehouse, "alice", "--role", "etablissement", "--scope", ET)
    path = access_path(warehouse)
    now = datetime.now(UTC)
    with AccessDatabase(path) as db, db.transaction() as con:
        from hospiscope.access import sessions

        cookie = sessions.open_session(
            con, authenticate(con, "alice", PASSWORD, now).account, now
        ).cookie_value
    done = run("users", "disable", "alice", "-w", warehouse)
    assert "Compte « alice » désactivé ; ses sessions sont fermées." in done.stdout
    assert "désactivé" in run("users", "list", "-w", warehouse).stdout
    with AccessDatabase(path) as db, db.transaction() as con:
        assert sessions.check_session(con, cookie, now).refusal == "revoked"
        assert authenticate(con, "alice", PASSWORD, now).refusal == "disabled"
    assert "réactivé" in run("users", "enable", "alice", "-w", warehouse).stdout
    role = run("users", "role", "alice", "ars", "--scope", "84", "-w", warehouse)
    assert "Compte « alice » : rôle ARS, périmètre 84." in role.stdout
    refused = run("users", "role", "alice", "national", "--scope", "84", "-w", warehouse, code=1)
    assert "le rôle national n'a pas de périmètre" in refused.stderr
    new = "une tout autre phrase de passe"
    changed = run("users", "password", "alice", "--password-stdin", "-w", warehouse, password=new)
    assert "Mot de passe de « alice » changé" in changed.stdout
    run("users", "password", "alice", "--password-stdin", "-w", warehouse, password="x", code=1)
    with AccessDatabase(path) as db, db.transaction() as con:
        assert authenticate(con, "alice", new, now).ok
        assert authenticate(con, "alice", PASSWORD, now).message == GENERIC_REFUSAL
    actions = [(e["action"], e["outcome"]) for e in audit_events(warehouse, "--user", "alice")]
    assert actions == [
        ("account.password", "refused"),
        ("account.password", "ok"),
        ("account.role", "refused"),
        ("account.role", "ok"),
        ("account.enable", "ok"),
        ("account.disable", "ok"),
        ("account.add", "ok"),
    ]


def test_lock_out_then_unlock_after_the_delay_or_by_enable(warehouse):
    add(warehouse, "alice", "--role", "national")
    path = access_path(warehouse)
    now = datetime.now(UTC)
    with AccessDatabase(path) as db, db.transaction() as con:
        for _ in range(MAX_FAILURES):
            assert authenticate(con, "alice", "mauvais", now).message == GENERIC_REFUSAL
        assert authenticate(con, "alice", PASSWORD, now).refusal == LOCKED
        assert authenticate(con, "alice", PASSWORD, now + LOCK_DURATION).ok  # delay over
        for _ in range(MAX_FAILURES):
            authenticate(con, "alice", "mauvais", now)
    assert "verrouillé jusqu'à" in run("users", "list", "-w", warehouse).stdout
    run("users", "enable", "alice", "-w", warehouse)
    with AccessDatabase(path) as db, db.transaction() as con:
        assert authenticate(con, "alice", PASSWORD, now + timedelta(seconds=1)).ok


def test_token_shown_once_then_revoked(warehouse):
    add(warehouse, "alice", "--role", "national")
    done = run("users", "token", "alice", "--label", "script", "--days", "30", "-w", warehouse)
    secret = done.stdout.strip()
    assert secret.startswith("hsp_") and len(secret.splitlines()) == 1
    assert "Jeton n° 1 créé" in done.stderr and "il ne sera plus affiché" in done.stderr
    listed = run("users", "tokens", "alice", "-w", warehouse).stdout
    assert "script" in listed and "actif" in listed and secret not in listed
    path = access_path(warehouse)
    assert secret not in path.read_bytes().decode("latin-1")
    with AccessDatabase(path) as db, db.transaction() as con:
        assert tokens.verify_token(con, secret, datetime.now(UTC)).ok
        later = datetime.now(UTC) + timedelta(days=30)
        assert tokens.verify_token(con, secret, later).refusal == "expired"
    assert "Jeton n° 1 révoqué." in run("users", "revoke", "1", "-w", warehouse).stdout
    with AccessDatabase(path) as db, db.transaction() as con:
        assert tokens.verify_token(con, secret, datetime.now(UTC)).refusal == "revoked"
    assert "révoqué" in run("users", "tokens", "alice", "-w", warehouse).stdout
    unknown = run("users", "revoke", "7", "-w", warehouse, code=1)
    assert "jeton inconnu : n° 7" in unknown.stderr
    bad_days = run("users", "token", "alice", "--days", "0", "-w", warehouse, code=1)
    assert "durée de validité invalide" in bad_days.stderr
    events = audit_events(warehouse)
    assert [(e["action"], e["outcome"]) for e in events[:4]] == [
        ("token.issue", "refused"),
        ("token.revoke", "refused"),
        ("token.revoke", "ok"),
        ("token.issue", "ok"),
    ]
    assert secret not in json.dumps(events)


def test_audit_options_and_immutability(warehouse):
    add(warehouse, "alice", "--role", "national")
    add(warehouse, "bob", "--role", "admin")
    assert len(audit_events(warehouse, "--limit", "1")) == 1
    assert [e["entity_id"] for e in audit_events(warehouse, "--user", "bob")] == ["bob"]
    assert audit_events(warehouse, "--since", "2999-01-01") == []
    assert len(audit_events(warehouse, "--since", "2000-01-01T00:00")) == 2
    text = run("audit", "-w", warehouse).stdout
    assert "account.add" in text and "accepté" in text
    bad = run("audit", "--since", "hier", "-w", warehouse, code=1)
    assert "date invalide pour --since : « hier »" in bad.stderr
    negative = run("audit", "--limit", "-1", "-w", warehouse, code=1)
    assert "--limit attend un nombre positif" in negative.stderr
    con = sqlite3.connect(access_path(warehouse))
    with pytest.raises(sqlite3.IntegrityError, match="ne peut pas être modifié"):
        con.execute("UPDATE audit_events SET actor = 'quelqu''un'")
    with pytest.raises(sqlite3.IntegrityError, match="ne peut pas être supprimé"):
        con.execute("DELETE FROM audit_events")
    con.close()
    assert len(audit_events(warehouse)) == 2


def test_help_is_french():
    text = run("users", "--help").stdout
    assert "Comptes des espaces privés" in text and "Commandes" in text
    for command in ("add", "list", "disable", "enable", "role", "password", "token", "revoke"):
        assert command in text
    add_help = run("users", "add", "--help").stdout
    assert "--password-stdin" in add_help and "[obligatoire]" in add_help
    assert "Journal d'audit" in run("audit", "--help").stdout


def test_password_typed_twice_without_echo(warehouse, monkeypatch, capsys):
    from hospiscope.cli import access_support
    from hospiscope.cli.app import app
    from hospiscope.cli.errors import run as run_command_line

    typed = iter(["une phrase de passe assez longue", "une phrase de passe assez longu"])
    prompts = []

    def fake_getpass(prompt):
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr(access_support.getpass, "getpass", fake_getpass)
    argv = ["users", "add", "alice", "--role", "admin", "-w", str(warehouse)]
    assert run_command_line(app, argv) == 1
    assert prompts == ["Mot de passe : ", "Mot de passe (confirmation) : "]
    assert "les deux saisies du mot de passe diffèrent" in capsys.readouterr().err
    typed = iter([PASSWORD, PASSWORD])
    assert run_command_line(app, argv) == 0
    assert "Compte « alice » créé" in capsys.readouterr().out
