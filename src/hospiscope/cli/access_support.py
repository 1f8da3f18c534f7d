"""What the `users` and `audit` commands share: the access database beside the warehouse,
the system user as the audit trail's actor, passwords read without echo, the check of a
scope against the warehouse registry, and audited changes."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hospiscope.cli.errors import CliError

if TYPE_CHECKING:
    import sqlite3

    from hospiscope.access.database import AccessDatabase

CLI_ROLE = "cli"
T = TypeVar("T")


def cli_actor() -> str:
    """`cli:<system user>`: who changed an account from the command line."""
    try:
        return f"{CLI_ROLE}:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"{CLI_ROLE}:inconnu"


def warehouse_path(warehouse: Path | None) -> Path:
    from hospiscope.warehouse import default_warehouse_path

    return Path(warehouse or default_warehouse_path())


def open_access(warehouse: Path | None, create: bool = False) -> AccessDatabase:
    """The access database beside the warehouse; refused when absent unless `create` (only
    `users add` creates it: reading or changing accounts needs one)."""
    from hospiscope.access.database import AccessDatabase, AccessDatabaseError, access_path

    path = access_path(warehouse_path(warehouse))
    if not create and not path.exists():
        raise AccessDatabaseError(
            f"introuvable : {path} (créez un premier compte avec "
            "`hospiscope users add IDENTIFIANT --role admin`)"
        )
    return AccessDatabase(path)


def read_password(from_stdin: bool) -> str:
    """A new password: one line of standard input, or typed twice without echo."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CliError("aucun mot de passe lu sur l'entrée standard ; rien n'a été écrit")
        return password
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (confirmation) : ") != first:
        raise CliError("les deux saisies du mot de passe diffèrent ; rien n'a été écrit")
    return first


def check_scope_in_warehouse(warehouse: Path | None, role: str, scope: tuple[str, ...]) -> None:
    """Refuse FINESS numbers or GHT codes that the warehouse does not know (when there is a
    warehouse: accounts may be prepared before the first import)."""
    path = warehouse_path(warehouse)
    if role not in ("etablissement", "ght") or not scope or not path.exists():
        return
    from hospiscope.warehouse import Warehouse

    with Warehouse(path, read_only=True) as wh:
        if role == "etablissement":
            unknown = _unknown_finess(wh.con, scope)
            if unknown:
                raise CliError(
                    f"FINESS inconnu(s) du registre de l'entrepôt {path} : "
                    f"{', '.join(unknown)} (ni établissement ET ni entité juridique EJ) ; "
                    "vérifiez le numéro ou importez le registre (`hospiscope import registry`)"
                )
            return
        tables = {r[0] for r in wh.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "ght_members" not in tables:
            raise CliError(
                f"l'entrepôt {path} ne contient pas la composition des GHT : importez-la avant "
                "de créer un compte GHT"
            )
        known = {
            row[0]
            for row in wh.con.execute(
                "SELECT DISTINCT ght_code FROM ght_members WHERE ght_code IN "
                f"({', '.join('?' for _ in scope)})",
                list(scope),
            ).fetchall()
        }
        if unknown := [code for code in scope if code not in known]:
            raise CliError(f"GHT inconnu(s) de l'entrepôt {path} : {', '.join(unknown)}")


def _unknown_finess(con: Any, scope: tuple[str, ...]) -> list[str]:
    marks = ", ".join("?" for _ in scope)
    known = {
        row[0]
        for row in con.execute(
            f"SELECT finess_et FROM establishments WHERE finess_et IN ({marks}) "
            f"UNION SELECT finess_ej FROM establishments WHERE finess_ej IN ({marks})",
            [*scope, *scope],
        ).fetchall()
    }
    return [number for number in scope if number not in known]


def audited_change(
    db: AccessDatabase,
    action: str,
    login: str | None,
    work: Callable[[sqlite3.Connection, datetime], tuple[T, dict[str, Any]]],
    check: Callable[[], None] | None = None,
) -> T:
    """Run `work(con, now)` (it returns its result and the details to record) in one
    transaction with its audit event; a refused change is recorded as refused, with why,
    then raised (for its French message and exit code)."""
    from hospiscope.access import audit
    from hospiscope.access.accounts import AccountError
    from hospiscope.access.clock import utc_now
    from hospiscope.access.passwords import PasswordRefused

    now = utc_now()
    event = {"actor": cli_actor(), "role": CLI_ROLE, "action": action}
    entity = login.strip().lower() if login else None
    event |= {"entity_kind": "account", "entity_id": entity, "at": now}
    try:
        if check is not None:
            check()
        with db.transaction() as con:
            result, details = work(con, now)
            audit.record(con, outcome=audit.OK, details=details, **event)
    except (CliError, AccountError, PasswordRefused) as error:
        with db.transaction() as con:
            audit.record(con, outcome=audit.REFUSED, details={"raison": str(error)}, **event)
        raise
    return result


def parse_since(text: str | None) -> datetime | None:
    """--since: a date (AAAA-MM-JJ) or an instant (AAAA-MM-JJTHH:MM, UTC)."""
    if text is None:
        return None
    from hospiscope.access.clock import aware, start_of

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            f"date invalide pour --since : « {text} » (attendu : AAAA-MM-JJ ou "
            "AAAA-MM-JJTHH:MM, heure UTC)"
        ) from None
    return start_of(moment.date()) if len(text.strip()) == 10 else aware(moment)


def short_time(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%Y-%m-%d %H:%M}"
