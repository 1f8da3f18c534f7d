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

    from hospiscope.access.account_changes import Actor
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
    warehouse: accounts may be prepared before the first import). The check is the admin
    page's (access/account_scope.py), on the perimeter read from the warehouse file."""
    from hospiscope.access.account_scope import CHECKED_ROLES, check_scope_known

    path = warehouse_path(warehouse)
    if role not in CHECKED_ROLES or not scope or not path.exists():
        return
    from hospiscope.access.perimeter import Perimeter
    from hospiscope.warehouse import Warehouse

    with Warehouse(path, read_only=True) as wh:
        perimeter = Perimeter.from_warehouse(wh.con)
    check_scope_known(role, scope, perimeter, source=str(path))


def cli_as_actor() -> Actor:
    """The command line as the actor of an account change: a system user, no account (so
    access/account_changes.py's rule on one's own account never applies)."""
    from hospiscope.access.account_changes import Actor

    return Actor(name=cli_actor(), role=CLI_ROLE)


def audited_change(
    db: AccessDatabase,
    action: str,
    login: str | None,
    work: Callable[[sqlite3.Connection, datetime], tuple[T, dict[str, Any]]],
    check: Callable[[], None] | None = None,
) -> T:
    """Run `work(con, now)` (it returns its result and the details to record) in one
    transaction with its audit event, the system user as actor; a refused change is recorded
    as refused, with why, then raised (for its French message and exit code). The admin page
    runs its changes through the same function (access/account_changes.py)."""
    from hospiscope.access import account_changes

    return account_changes.audited_change(
        db.transaction, cli_as_actor(), action, login, work, check, refusals=(CliError,)
    )


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
