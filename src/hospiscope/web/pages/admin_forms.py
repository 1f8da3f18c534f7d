"""The forms of the accounts administrator's pages (admin.py). Each is a POST that asks the
one rule first (kind `accounts` on the nation: the admin role; anonymous visitors 401, other
roles 403, as the rule says), then wants a session opened by /connexion (an API token cannot
manage accounts: a leaked one must not turn into new accesses) and that session's CSRF token.
The change itself is made by access/account_changes.py, as `hospiscope users` makes it, and
recorded under the same actions (account.add, account.disable, account.enable, account.role,
account.password, token.revoke), refusals too, with why:
- POST /espace/comptes: a new account (login, name, role, scope checked against the
  warehouse's perimeter) with a one-time password;
- …/{identifiant}/desactivation, /activation, /role, /jetons/{jeton}/revocation: 303 back to
  the account's page with a confirmation (Post/Redirect/Get);
- …/{identifiant}/mot-de-passe: a new one-time password.
A one-time password is shown on the answer to its form and only there (201, `no-store`): it
is not stored, and a redirect would put it in a URL. A refused change re-renders the page
with its message and what was entered (400); an unknown account or token answers 404."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hospiscope.access import account_changes, audit
from hospiscope.access.account_changes import REFUSALS, Actor, Work, record_refusal
from hospiscope.access.account_scope import check_scope_known
from hospiscope.access.accounts import check_scope, find_account
from hospiscope.access.passwords import one_time_password
from hospiscope.access.perimeter import NATION
from hospiscope.web.auth import Visitor, access_of, authorise, check_form_token, client_of
from hospiscope.web.errors import WebError
from hospiscope.web.pages.admin import (
    PATH,
    FormError,
    LoginPath,
    NewAccount,
    OneTimePassword,
    RoleForm,
    answer_account,
    answer_accounts,
    unknown_account,
)
from hospiscope.web.pages.common import store_of
from hospiscope.web.twins import PRIVATE_ERRORS

router = APIRouter(tags=["administration"])

FORM_RESPONSES = {
    303: {"description": "fait (redirige vers la page du compte)"},
    **{status: PRIVATE_ERRORS[status] for status in (400, 401, 403, 404)},
}
SECRET_RESPONSES = {
    201: {"description": "fait : le mot de passe à usage unique est affiché une fois"},
    **{status: PRIVATE_ERRORS[status] for status in (400, 401, 403, 404)},
}
CSRF = Annotated[str | None, Form(max_length=128)]
Role = Annotated[str, Form(max_length=20)]
Scope = Annotated[str, Form(max_length=2000)]
SESSION_REQUIRED = (
    "formulaire réservé à une session ouverte sur /connexion : un jeton d'API ne gère pas les "
    "comptes"
)


def _actor(request: Request, who: Visitor | None) -> Actor:
    account = who.account.login if who is not None and who.account is not None else None
    return Actor(
        name=who.principal.login if who is not None else None,
        role=who.principal.role if who is not None else None,
        account=account,
        route=request.url.path,
        client=client_of(request),
    )


def _guard(request: Request, action: str, login: str | None, csrf: str | None) -> Visitor:
    """The administrator posting a form: the rule first, then a session and its CSRF token;
    each refusal recorded under `action` before it is raised."""
    transaction = access_of(request).transaction
    try:
        who = authorise(request, NATION, "accounts")
    except WebError as refused:  # (a refused API token leaves no visitor: anonymous)
        known = getattr(request.state, "visitor", None)
        record_refusal(transaction, _actor(request, known), action, login, refused.body.message)
        raise
    if who.session is None:
        record_refusal(transaction, _actor(request, who), action, login, SESSION_REQUIRED)
        raise WebError(403, "session_required", SESSION_REQUIRED)
    try:
        check_form_token(request, csrf)
    except WebError as refused:
        record_refusal(transaction, _actor(request, who), action, login, refused.body.message)
        raise
    return who


def _change(request: Request, who: Visitor, action: str, login: str, work: Work, check=None):
    return account_changes.audited_change(
        access_of(request).transaction, _actor(request, who), action, login, work, check
    )


def _scope_check(request: Request, role: str, scope: list[str]):
    """The check of `check_scope_in_warehouse` of the command line, on the server's perimeter."""
    perimeter = store_of(request).prepared("perimeter")
    return lambda: check_scope_known(role, check_scope(role, scope), perimeter)


def _scope(text: str) -> list[str]:
    return [item for item in re.split(r"[\s,;]+", text) if item]


def _sentence(error: Exception) -> str:
    text = str(error)
    return f"{text[:1].upper()}{text[1:]}."


def _exists(request: Request, login: str) -> bool:
    with access_of(request).transaction() as con:
        return find_account(con, login) is not None


def _redirect(login: str, done: str) -> Response:
    return RedirectResponse(f"{PATH}/{login}?fait={done}", status_code=303)


@router.post(
    PATH,
    response_class=HTMLResponse,
    status_code=201,
    summary="Créer un compte (son mot de passe à usage unique est affiché une seule fois)",
    responses=SECRET_RESPONSES,
)
def create_account(
    request: Request,
    identifiant: Annotated[str, Form(max_length=64)],
    role: Role,
    nom: Annotated[str, Form(max_length=120)] = "",
    perimetre: Scope = "",
    csrf: CSRF = None,
) -> Response:
    who = _guard(request, audit.ACCOUNT_ADD, identifiant, csrf)
    scope, name, password = _scope(perimetre), " ".join(nom.split()) or None, one_time_password()
    work = account_changes.add(identifiant, role, scope, password, name)
    try:
        account = _change(
            request, who, audit.ACCOUNT_ADD, identifiant, work, _scope_check(request, role, scope)
        )
    except REFUSALS as refused:
        entered = NewAccount(login=identifiant, name=nom, role=role, scope=perimetre)
        return answer_accounts(request, who, 400, error=_sentence(refused), entered=entered)
    shown = OneTimePassword(password=password, created=True)
    return answer_account(request, who, account.login, 201, one_time_password=shown)


@router.post(
    f"{PATH}/{{identifiant}}/desactivation",
    response_class=HTMLResponse,
    summary="Désactiver un compte (ses sessions sont fermées, ses jetons refusés)",
    responses=FORM_RESPONSES,
)
def disable_account(request: Request, identifiant: LoginPath, csrf: CSRF = None) -> Response:
    return _set_state(request, identifiant, csrf, disabled=True)


@router.post(
    f"{PATH}/{{identifiant}}/activation",
    response_class=HTMLResponse,
    summary="Réactiver un compte (lève aussi un verrouillage après échecs de connexion)",
    responses=FORM_RESPONSES,
)
def enable_account(request: Request, identifiant: LoginPath, csrf: CSRF = None) -> Response:
    return _set_state(request, identifiant, csrf, disabled=False)


def _set_state(request: Request, login: str, csrf: str | None, disabled: bool) -> Response:
    action = audit.ACCOUNT_DISABLE if disabled else audit.ACCOUNT_ENABLE
    who = _guard(request, action, login, csrf)
    work = account_changes.set_state(_actor(request, who), login, disabled)
    try:
        account = _change(request, who, action, login, work)
    except REFUSALS as refused:
        return _refused(request, who, login, "etat", refused)
    return _redirect(account.login, "desactive" if disabled else "reactive")


@router.post(
    f"{PATH}/{{identifiant}}/role",
    response_class=HTMLResponse,
    summary="Changer le rôle et le périmètre d'un compte (ses sessions sont fermées)",
    responses=FORM_RESPONSES,
)
def change_role(
    request: Request, identifiant: LoginPath, role: Role, perimetre: Scope = "", csrf: CSRF = None
) -> Response:
    who = _guard(request, audit.ACCOUNT_ROLE, identifiant, csrf)
    scope = _scope(perimetre)
    work = account_changes.change_role(_actor(request, who), identifiant, role, scope)
    check = _scope_check(request, role, scope)
    try:
        account = _change(request, who, audit.ACCOUNT_ROLE, identifiant, work, check)
    except REFUSALS as refused:
        entered = RoleForm(role=role, scope=perimetre)
        return _refused(request, who, identifiant, "role", refused, entered=entered)
    return _redirect(account.login, "role")


@router.post(
    f"{PATH}/{{identifiant}}/mot-de-passe",
    response_class=HTMLResponse,
    status_code=201,
    summary="Réinitialiser le mot de passe d'un compte (à usage unique, affiché une fois)",
    responses=SECRET_RESPONSES,
)
def reset_password(request: Request, identifiant: LoginPath, csrf: CSRF = None) -> Response:
    who = _guard(request, audit.ACCOUNT_PASSWORD, identifiant, csrf)
    password = one_time_password()
    work = account_changes.change_password(_actor(request, who), identifiant, password)
    try:
        account = _change(request, who, audit.ACCOUNT_PASSWORD, identifiant, work)
    except REFUSALS as refused:
        return _refused(request, who, identifiant, "mot-de-passe", refused)
    shown = OneTimePassword(password=password, created=False)
    return answer_account(request, who, account.login, 201, one_time_password=shown)


@router.post(
    f"{PATH}/{{identifiant}}/jetons/{{jeton}}/revocation",
    response_class=HTMLResponse,
    summary="Révoquer un jeton d'API d'un compte",
    responses=FORM_RESPONSES,
)
def revoke_token(
    request: Request,
    identifiant: LoginPath,
    jeton: Annotated[int, Path(ge=1)],
    csrf: CSRF = None,
) -> Response:
    who = _guard(request, audit.TOKEN_REVOKE, identifiant, csrf)
    work = account_changes.revoke(jeton, owner=identifiant)
    try:
        _change(request, who, audit.TOKEN_REVOKE, identifiant, work)
    except REFUSALS as refused:  # an unknown account, or a token that is not its own
        raise WebError(404, "unknown_token", str(refused)) from None
    return _redirect(identifiant.strip().lower(), "jeton-revoque")


def _refused(
    request: Request, who: Visitor, login: str, form: str, error: Exception, **built
) -> Response:
    """The account's page again with the refusal (400), or 404 for an unknown account."""
    if not _exists(request, login):
        raise unknown_account(login)
    message = FormError(form=form, message=_sentence(error))
    return answer_account(request, who, login, 400, error=message, **built)
