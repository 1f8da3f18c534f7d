"""`hospiscope users …`: accounts of the private spaces, their roles and scopes, passwords
and personal API tokens. Every change is recorded in the audit trail, refused ones too, with
the system user running the command as actor (`cli:<user>`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from hospiscope.cli.access_support import (
    audited_change,
    check_scope_in_warehouse,
    cli_as_actor,
    open_access,
    read_password,
    short_time,
)
from hospiscope.cli.common import WarehouseOption, err, errors_to_exit_codes, out

users_app = typer.Typer(
    help="Comptes des espaces privés : rôles, périmètres, mots de passe, jetons d'API.",
    no_args_is_help=True,
)

LoginArgument = Annotated[str, typer.Argument(help="Identifiant du compte.", metavar="IDENTIFIANT")]
ScopeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scope",
        help="Périmètre (répétable) : FINESS ET ou EJ (etablissement), code de GHT (ght), "
        "code INSEE de la région (ars) ; aucun pour national et admin.",
    ),
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Lire le mot de passe sur l'entrée standard (une ligne) au lieu de le demander.",
    ),
]
ROLE_HELP = "Rôle : etablissement, ght, ars, national ou admin."


@users_app.command("add")
def users_add(
    login: LoginArgument,
    role: Annotated[str, typer.Option("--role", help=ROLE_HELP)],
    scope: ScopeOption = None,
    name: Annotated[str | None, typer.Option("--name", help="Nom affiché.")] = None,
    password_stdin: PasswordStdinOption = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Créer un compte (le mot de passe est demandé deux fois, sans écho)."""
    from hospiscope.access import account_changes, audit
    from hospiscope.access.accounts import check_scope

    with errors_to_exit_codes(), open_access(warehouse, create=True) as db:
        password = read_password(password_stdin)

        def check() -> None:
            check_scope_in_warehouse(warehouse, role, check_scope(role, scope))

        work = account_changes.add(login, role, scope, password, name)
        account = audited_change(db, audit.ACCOUNT_ADD, login, work, check)
    out.print(f"Compte « {account.login} » créé : {_role_sentence(account)}.")


@users_app.command("list")
def users_list(warehouse: WarehouseOption = None) -> None:
    """Afficher les comptes, leur rôle, leur périmètre et leur état."""
    from hospiscope.access.accounts import ROLE_LABELS, list_accounts
    from hospiscope.access.clock import utc_now
    from hospiscope.access.tokens import list_tokens

    with errors_to_exit_codes(), open_access(warehouse) as db:
        accounts = list_accounts(db.con)
        tokens = list_tokens(db.con)
    if not accounts:
        out.print("Aucun compte : créez-en un avec `hospiscope users add IDENTIFIANT --role …`.")
        return
    now = utc_now()
    table = Table(show_edge=False)
    table.add_column("Identifiant", no_wrap=True)
    for column in ("Nom", "Rôle", "Périmètre", "État", "Jetons actifs"):
        table.add_column(column)
    table.add_column("Créé le (UTC)", no_wrap=True)
    for account in accounts:
        state = account.state(now)
        if state == "verrouillé":
            state += f" jusqu'à {account.locked_until:%H:%M}"
        active = sum(1 for t in tokens if t.account_id == account.id and t.state(now) == "actif")
        table.add_row(
            escape(account.login),
            escape(account.display_name or "—"),
            ROLE_LABELS[account.role],
            ", ".join(account.scope) or "—",
            state,
            str(active),
            short_time(account.created_at),
        )
    out.print(table)


@users_app.command("disable")
def users_disable(login: LoginArgument, warehouse: WarehouseOption = None) -> None:
    """Désactiver un compte (ses sessions sont fermées, ses jetons refusés)."""
    _set_disabled(login, True, warehouse)
    out.print(f"Compte « {login.strip().lower()} » désactivé ; ses sessions sont fermées.")


@users_app.command("enable")
def users_enable(login: LoginArgument, warehouse: WarehouseOption = None) -> None:
    """Réactiver un compte (lève aussi un verrouillage après échecs de connexion)."""
    _set_disabled(login, False, warehouse)
    out.print(f"Compte « {login.strip().lower()} » réactivé.")


def _set_disabled(login: str, disabled: bool, warehouse) -> None:
    from hospiscope.access import account_changes, audit

    work = account_changes.set_state(cli_as_actor(), login, disabled)
    action = audit.ACCOUNT_DISABLE if disabled else audit.ACCOUNT_ENABLE
    with errors_to_exit_codes(), open_access(warehouse) as db:
        audited_change(db, action, login, work)


@users_app.command("role")
def users_role(
    login: LoginArgument,
    role: Annotated[str, typer.Argument(help=ROLE_HELP, metavar="ROLE")],
    scope: ScopeOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Changer le rôle et le périmètre d'un compte (ses sessions sont fermées)."""
    from hospiscope.access import account_changes, audit
    from hospiscope.access.accounts import check_scope

    def check() -> None:
        check_scope_in_warehouse(warehouse, role, check_scope(role, scope))

    work = account_changes.change_role(cli_as_actor(), login, role, scope)
    with errors_to_exit_codes(), open_access(warehouse) as db:
        account = audited_change(db, audit.ACCOUNT_ROLE, login, work, check)
    out.print(f"Compte « {account.login} » : {_role_sentence(account)}.")


@users_app.command("password")
def users_password(
    login: LoginArgument,
    password_stdin: PasswordStdinOption = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Changer le mot de passe d'un compte (ses sessions sont fermées, le verrouillage levé)."""
    from hospiscope.access import account_changes, audit

    with errors_to_exit_codes(), open_access(warehouse) as db:
        password = read_password(password_stdin)
        work = account_changes.change_password(cli_as_actor(), login, password)
        account = audited_change(db, audit.ACCOUNT_PASSWORD, login, work)
    out.print(f"Mot de passe de « {account.login} » changé ; ses sessions sont fermées.")


@users_app.command("token")
def users_token(
    login: LoginArgument,
    label: Annotated[str | None, typer.Option("--label", help="Libellé du jeton.")] = None,
    days: Annotated[int | None, typer.Option("--days", help="Validité en jours.")] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Créer un jeton d'API personnel : affiché une seule fois, sur la sortie standard."""
    from hospiscope.access import account_changes, audit
    from hospiscope.access.tokens import DEFAULT_DAYS

    work = account_changes.issue(login, label, DEFAULT_DAYS if days is None else days)
    with errors_to_exit_codes(), open_access(warehouse) as db:
        issued = audited_change(db, audit.TOKEN_ISSUE, login, work)
    token = issued.token
    err.print(
        f"Jeton n° {token.id} créé pour « {login.strip().lower()} », valable jusqu'au "
        f"{short_time(token.expires_at)} (UTC). Copiez-le maintenant : il ne sera plus "
        "affiché (seule son empreinte est conservée).",
        highlight=False,
    )
    out.print(issued.secret, highlight=False, soft_wrap=True)


@users_app.command("tokens")
def users_tokens(login: LoginArgument, warehouse: WarehouseOption = None) -> None:
    """Afficher les jetons d'API d'un compte (jamais leur valeur)."""
    from hospiscope.access.accounts import get_account
    from hospiscope.access.clock import utc_now
    from hospiscope.access.tokens import list_tokens

    with errors_to_exit_codes(), open_access(warehouse) as db:
        tokens = list_tokens(db.con, get_account(db.con, login).id)
    if not tokens:
        out.print(f"Aucun jeton pour « {login.strip().lower()} ».")
        return
    now = utc_now()
    table = Table(show_edge=False)
    for column in ("N°", "Libellé", "État", "Créé le", "Expire le", "Dernier usage"):
        table.add_column(column, no_wrap=column != "Libellé")
    for t in tokens:
        table.add_row(
            str(t.id),
            escape(t.label or "—"),
            t.state(now),
            short_time(t.created_at),
            short_time(t.expires_at),
            short_time(t.last_used_at),
        )
    out.print(table)


@users_app.command("revoke")
def users_revoke(
    token_id: Annotated[int, typer.Argument(help="Numéro du jeton.", metavar="NUMERO_JETON")],
    warehouse: WarehouseOption = None,
) -> None:
    """Révoquer un jeton d'API (son numéro : `hospiscope users tokens IDENTIFIANT`)."""
    from hospiscope.access import account_changes, audit
    from hospiscope.access.accounts import account_by_id
    from hospiscope.access.tokens import find_token

    with errors_to_exit_codes(), open_access(warehouse) as db:
        found = find_token(db.con, token_id)
        owner = account_by_id(db.con, found.account_id) if found else None
        work = account_changes.revoke(token_id)
        audited_change(db, audit.TOKEN_REVOKE, owner.login if owner else None, work)
    out.print(f"Jeton n° {token_id} révoqué.")


def _role_sentence(account) -> str:
    from hospiscope.access.accounts import ROLE_LABELS

    scope = f", périmètre {', '.join(account.scope)}" if account.scope else ""
    return f"rôle {ROLE_LABELS[account.role]}{scope}"
