"""Account changes as `hospiscope users …` and the accounts administrator's page make them,
so that both change the same things and record the same audit events. Each change is a
`work(con, now)` returning its result and the details to record; `audited_change` runs it
in one transaction with its event, and a refusal is recorded as refused, with why, then
raised (for the caller's French message).

One rule is the administration's own (`guard_self`): an administrator never disables its
own account, removes its own admin role or resets its own password. The first two would
lock the administration out; the third would let a stolen session take the account without
knowing its password (the account page asks for the current one). The command line acts as
a system user (`cli:<user>`), never as an account, so the rule cannot bite there: the
command line stays the way back in (`users add`, `users enable`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from hospiscope.access import audit
from hospiscope.access.accounts import (
    Account,
    AccountError,
    add_account,
    get_account,
    normalise_login,
    set_disabled,
    set_password,
    set_role,
)
from hospiscope.access.clock import utc_now
from hospiscope.access.passwords import PasswordRefused
from hospiscope.access.sessions import revoke_account_sessions
from hospiscope.access.tokens import ApiToken, IssuedToken, find_token, issue_token, revoke_token

T = TypeVar("T")
Work = Callable[[sqlite3.Connection, datetime], tuple[T, dict[str, Any]]]
Transaction = Callable[[], AbstractContextManager[sqlite3.Connection]]
REFUSALS = (AccountError, PasswordRefused)


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as the audit trail names them: an administrator's login and role
    `admin` (with the route and client address of its request), or `cli:<system user>` and
    role `cli`. `account`: the login of the account acting, None for the command line."""

    name: str | None
    role: str | None
    account: str | None = None
    route: str | None = None
    client: str | None = None


def audited_change(
    transaction: Transaction,
    actor: Actor,
    action: str,
    login: str | None,
    work: Work[T],
    check: Callable[[], None] | None = None,
    refusals: tuple[type[Exception], ...] = (),
) -> T:
    """Run `check()` then `work(con, now)` in one transaction with its audit event; a refusal
    (AccountError, PasswordRefused or one of `refusals`) is recorded as refused, with why,
    then raised."""
    now = utc_now()
    try:
        if check is not None:
            check()
        with transaction() as con:
            result, details = work(con, now)
            event = _event(actor, action, login, now)
            audit.record(con, outcome=audit.OK, details=details, **event)
    except (*REFUSALS, *refusals) as error:
        record_refusal(transaction, actor, action, login, str(error))
        raise
    return result


def record_refusal(
    transaction: Transaction, actor: Actor, action: str, login: str | None, reason: str
) -> None:
    """A refused change, with why: `audited_change`'s refusals, and those of a form before
    the change is tried (no CSRF token, a role that may not manage accounts)."""
    event = _event(actor, action, login, utc_now())
    with transaction() as con:
        audit.record(con, outcome=audit.REFUSED, details={"raison": reason}, **event)


def _event(actor: Actor, action: str, login: str | None, at: datetime) -> dict[str, Any]:
    return {
        "actor": actor.name,
        "role": actor.role,
        "action": action,
        "entity_kind": "account",
        "entity_id": login.strip().lower() if login else None,
        "route": actor.route,
        "client": actor.client,
        "at": at,
    }


def guard_self(
    actor: Actor,
    login: str,
    *,
    disabling: bool = False,
    role: str | None = None,
    password: bool = False,
) -> None:
    """Refuse what an administrator may not do to its own account (see the module's text)."""
    if actor.account is None or not _same(actor.account, login):
        return
    if disabling:
        raise AccountError(
            "vous ne pouvez pas désactiver votre propre compte : l'administration des comptes "
            "pourrait se retrouver sans personne ; demandez-le à un autre administrateur"
        )
    if role is not None and role != "admin":
        raise AccountError(
            "vous ne pouvez pas retirer votre propre rôle admin : l'administration des comptes "
            "pourrait se retrouver sans personne ; demandez-le à un autre administrateur"
        )
    if password:
        raise AccountError(
            "votre propre mot de passe se change sur la page Mon compte (/espace/compte), qui "
            "demande le mot de passe actuel"
        )


def _same(own: str, login: str) -> bool:
    try:
        return normalise_login(login) == own
    except AccountError:  # not a login at all: not one's own (the change will say why)
        return False


# --- the changes --------------------------------------------------------------------------


def add(
    login: str, role: str, scope: list[str] | None, password: str | None, name: str | None
) -> Work[Account]:
    def work(con, now):
        account = add_account(con, login, role, scope, password, now, display_name=name)
        return account, {"role": account.role, "perimetre": list(account.scope)}

    return work


def set_state(actor: Actor, login: str, disabled: bool) -> Work[Account]:
    """Disable (its sessions closed; its tokens are refused while it is) or enable (a lock-out
    lifted too)."""

    def work(con, now):
        guard_self(actor, login, disabling=disabled)
        account = set_disabled(con, login, disabled, now)
        closed = revoke_account_sessions(con, account.id, now) if disabled else 0
        return account, {"sessions_fermees": closed} if closed else {}

    return work


def change_role(actor: Actor, login: str, role: str, scope: list[str] | None) -> Work[Account]:
    """A new role and scope (its sessions closed: what they may see has changed)."""

    def work(con, now):
        guard_self(actor, login, role=role)
        before = get_account(con, login)
        account = set_role(con, login, role, scope, now)
        revoke_account_sessions(con, account.id, now)
        details = {"avant": {"role": before.role, "perimetre": list(before.scope)}}
        return account, details | {"role": account.role, "perimetre": list(account.scope)}

    return work


def change_password(actor: Actor, login: str, password: str) -> Work[Account]:
    """A password set by the administration (its sessions closed, a lock-out lifted)."""

    def work(con, now):
        guard_self(actor, login, password=True)
        account = set_password(con, login, password, now)
        return account, {"sessions_fermees": revoke_account_sessions(con, account.id, now)}

    return work


def issue(login: str, label: str | None, days: int) -> Work[IssuedToken]:
    def work(con, now):
        issued = issue_token(con, get_account(con, login), now, label, days)
        token = issued.token
        return issued, {"jeton": token.id, "libelle": label, "expire": token.expires_at}

    return work


def revoke(token_id: int, owner: str | None = None) -> Work[ApiToken]:
    """Revoke a token; `owner` (a login) given: only one of its tokens (another account's
    reads as unknown)."""

    def work(con, now):
        if owner is not None:
            account, found = get_account(con, owner), find_token(con, token_id)
            if found is None or found.account_id != account.id:
                raise AccountError(f"jeton inconnu pour « {account.login} » : n° {token_id}")
        token = revoke_token(con, token_id, now)
        return token, {"jeton": token.id}

    return work
