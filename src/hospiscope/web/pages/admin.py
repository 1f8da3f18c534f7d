"""The accounts administrator's pages: /espace/comptes, every account with its role, scope and
state, and the form that creates one; /espace/comptes/{identifiant}, one account with its open
sessions, its API tokens, its last sign-ins and the changes made to it (from the audit trail),
and the forms that change it (admin_forms.py). Kind `accounts` of the one rule, on the nation:
the admin role only, which sees no data by that role alone. Never a password digest nor a
token's; the one-time password of a new or reset account is on the answer to its form only
(never in the JSON twins, which are GET pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from hospiscope.access import audit, tokens
from hospiscope.access.accounts import ROLE_LABELS, ROLES, Account, find_account, list_accounts
from hospiscope.access.clock import utc_now
from hospiscope.access.perimeter import NATION
from hospiscope.access.sessions import count_open_sessions
from hospiscope.web.auth import Visitor, access_of, authorise
from hospiscope.web.errors import WebError
from hospiscope.web.pages.account import SignInRow, TokenRow, no_store, sign_in_row, token_row
from hospiscope.web.pages.common import Choice, Layout, layout
from hospiscope.web.pages.national import ACTION_LABELS
from hospiscope.web.pages.signin import ScopeEntry, scope_entry
from hospiscope.web.templating import render
from hospiscope.web.twins import page

router = APIRouter(tags=["administration"])

PATH = "/espace/comptes"
DONE = {
    "desactive": "Compte désactivé : ses sessions sont fermées, ses jetons d'API refusés.",
    "reactive": "Compte réactivé (un verrouillage après des échecs de connexion est levé).",
    "role": "Rôle et périmètre changés : les sessions du compte sont fermées.",
    "jeton-revoque": "Jeton révoqué : il est refusé dès maintenant.",
}
Done = Literal["desactive", "reactive", "role", "jeton-revoque"]
SCOPE_HINT = (
    "Selon le rôle : un ou plusieurs numéros FINESS (ET, ou EJ pour tous ses établissements) "
    "pour établissement ; un ou plusieurs codes de GHT pour GHT ; un code INSEE de région "
    "(84, 01…) pour ARS ; rien pour national et administration des comptes. Séparez-les par "
    "des espaces ou des virgules."
)
ROLE_CHOICES = [Choice(code=role, label=ROLE_LABELS[role]) for role in ROLES]
RECENT_SIGN_INS = 5
RECENT_CHANGES = 10
LoginPath = Annotated[str, Path(min_length=1, max_length=64, description="identifiant")]


class AccountRow(BaseModel):
    login: str
    name: str | None
    role: str
    role_label: str
    scope: list[str]
    state: str  # actif, désactivé, verrouillé
    url: str  # its page
    own: bool  # the administrator's own account (no quick "disable" button)


class NewAccount(BaseModel):
    """What the creation form was given (shown again when it is refused)."""

    login: str = ""
    name: str = ""
    role: str = "etablissement"
    scope: str = ""


class AccountsPage(BaseModel):
    layout: Layout
    accounts: list[AccountRow]
    roles: list[Choice] = ROLE_CHOICES
    scope_hint: str = SCOPE_HINT
    csrf: str | None  # None when asked with an API token: the forms need a session
    error: str | None = None
    entered: NewAccount = NewAccount()


class ChangeRow(BaseModel):
    at: datetime
    actor: str | None
    action: str
    action_label: str
    accepted: bool
    reason: str | None  # why it was refused


class RoleForm(BaseModel):
    role: str
    scope: str


class FormError(BaseModel):
    form: Literal["etat", "role", "mot-de-passe"]
    message: str


class OneTimePassword(BaseModel):
    password: str  # on the answer to the form only (HTML), never in the JSON twin
    created: bool  # True: a new account; False: a password reset


class AdminAccountPage(BaseModel):
    layout: Layout
    login: str
    name: str | None
    role: str
    role_label: str
    scope: list[ScopeEntry]
    state: str
    disabled: bool
    locked_until: datetime | None
    failed_attempts: int
    created_at: datetime
    changed_at: datetime
    password_changed_at: datetime | None
    local_password: bool
    open_sessions: int
    tokens: list[TokenRow]  # the latest first; never a secret nor a digest
    recent_sign_ins: list[SignInRow]
    changes: list[ChangeRow]
    own: bool  # the administrator's own account (it may not disable it nor change its role)
    roles: list[Choice] = ROLE_CHOICES
    scope_hint: str = SCOPE_HINT
    entered: RoleForm
    csrf: str | None
    done: str | None = None
    error: FormError | None = None
    one_time_password: OneTimePassword | None = None


@page(
    router,
    PATH,
    template="accounts.html",
    model=AccountsPage,
    summary="Comptes des espaces privés (administrateur des comptes)",
    private=True,
)
def accounts_page(request: Request) -> AccountsPage:
    return accounts_view(request, authorise(request, NATION, "accounts"))


@page(
    router,
    f"{PATH}/{{identifiant}}",
    template="account_admin.html",
    model=AdminAccountPage,
    summary="Un compte : sessions, jetons, connexions et changements (administrateur)",
    private=True,
)
def account_admin_page(
    request: Request, identifiant: LoginPath, fait: Annotated[Done | None, Query()] = None
) -> AdminAccountPage:
    who = authorise(request, NATION, "accounts")  # first: a refusal says nothing of the login
    return account_view(request, who, identifiant, done=fait)


def accounts_view(
    request: Request,
    who: Visitor,
    error: str | None = None,
    entered: NewAccount | None = None,
) -> AccountsPage:
    now = utc_now()
    with access_of(request).transaction() as con:
        found = list_accounts(con)
    return AccountsPage(
        layout=layout(request, "Comptes").model_copy(update={"path": PATH}),
        accounts=[
            AccountRow(
                login=a.login,
                name=a.display_name,
                role=a.role,
                role_label=ROLE_LABELS.get(a.role, a.role),
                scope=list(a.scope),
                state=a.state(now),
                url=f"{PATH}/{a.login}",
                own=_own(who, a.login),
            )
            for a in found
        ],
        csrf=_csrf(who),
        error=error,
        entered=entered or NewAccount(),
    )


def account_view(
    request: Request,
    who: Visitor,
    login: str,
    done: str | None = None,
    error: FormError | None = None,
    entered: RoleForm | None = None,
    one_time_password: OneTimePassword | None = None,
) -> AdminAccountPage:
    now = utc_now()
    with access_of(request).transaction() as con:
        account = find_account(con, login)
        if account is None:
            raise unknown_account(login)
        own = tokens.list_tokens(con, account.id)
        open_sessions = count_open_sessions(con, account.id, now)
        sign_ins = audit.recent(con, account.login, audit.SIGN_IN, RECENT_SIGN_INS)
        changes = audit.of_account(con, account.login, RECENT_CHANGES)
    frame = layout(request, f"Compte {account.login}")
    return AdminAccountPage(
        layout=frame.model_copy(update={"path": f"{PATH}/{account.login}"}),
        **_described(request, account, now),
        open_sessions=open_sessions,
        tokens=[token_row(t, now) for t in reversed(own)],
        recent_sign_ins=[sign_in_row(e) for e in sign_ins],
        changes=[_change_row(e) for e in changes],
        own=_own(who, account.login),
        entered=entered or RoleForm(role=account.role, scope=" ".join(account.scope)),
        csrf=_csrf(who),
        done=DONE.get(done or ""),
        error=error,
        one_time_password=one_time_password,
    )


def _described(request: Request, account: Account, now: datetime) -> dict:
    return {
        "login": account.login,
        "name": account.display_name,
        "role": account.role,
        "role_label": ROLE_LABELS.get(account.role, account.role),
        "scope": [scope_entry(request, account.role, code) for code in account.scope],
        "state": account.state(now),
        "disabled": account.disabled,
        "locked_until": account.locked_until if account.locked(now) else None,
        "failed_attempts": account.failed_attempts,
        "created_at": account.created_at,
        "changed_at": account.changed_at,
        "password_changed_at": account.password_changed_at,
        "local_password": account.password_hash is not None,
    }


def _change_row(event: audit.AuditEvent) -> ChangeRow:
    return ChangeRow(
        at=event.at,
        actor=event.actor,
        action=event.action,
        action_label=ACTION_LABELS.get(event.action, event.action),
        accepted=event.outcome == audit.OK,
        reason=event.details.get("raison") if event.outcome != audit.OK else None,
    )


def _own(who: Visitor, login: str) -> bool:
    return who.account is not None and who.account.login == login


def _csrf(who: Visitor) -> str | None:
    return who.session.csrf_token if who.session is not None else None


def unknown_account(login: str) -> WebError:
    return WebError(404, "unknown_account", f"compte inconnu : « {login.strip()} »")


def answer_accounts(request: Request, who: Visitor, status: int, **built) -> Response:
    """The list page as a form's answer (`built`: its error and the values entered)."""
    built_page = accounts_view(request, who, **built)
    return no_store(
        render(request, "accounts.html", status, page=built_page, layout=built_page.layout)
    )


def answer_account(request: Request, who: Visitor, login: str, status: int, **built) -> Response:
    """An account's page as a form's answer (`built`: its error, or a one-time password)."""
    built_page = account_view(request, who, login, **built)
    return no_store(
        render(request, "account_admin.html", status, page=built_page, layout=built_page.layout)
    )
