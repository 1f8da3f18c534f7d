"""The signed-in account's own page, /espace/compte and its JSON twin: who it is, its
sessions and last sign-ins, its password and its personal API tokens (its forms:
account_forms.py). Any signed-in role may open it, admin included. It is the account's own
business and shows no entity's data, so the one rule has nothing to decide: like /espace it
is a pair of GET routes (the twins decorator would render a 401 page, where an anonymous
visitor of the page is sent to /connexion; the twin answers 401). Never cached: neither by
the portal (private paths) nor by the browser (`Cache-Control: no-store`: the answer to the
token form carries a secret)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from hospiscope.access import audit, tokens
from hospiscope.access.accounts import ROLE_LABELS, account_by_id
from hospiscope.access.clock import utc_now
from hospiscope.access.identity import DISABLED, LOCKED, WRONG_PASSWORD
from hospiscope.access.passwords import MIN_LENGTH
from hospiscope.access.sessions import count_open_sessions
from hospiscope.web.auth import access_of, visitor
from hospiscope.web.errors import WebError
from hospiscope.web.pages.common import Layout, layout
from hospiscope.web.pages.signin import ScopeEntry, scope_entry
from hospiscope.web.templating import render
from hospiscope.web.twins import PRIVATE_ERRORS

router = APIRouter(tags=["espaces privés"])

PATH = "/espace/compte"
DONE = {
    "mot-de-passe": "Mot de passe changé. Vos autres sessions sont fermées ; celle-ci reste "
    "ouverte.",
    "jeton-revoque": "Jeton révoqué : il est refusé dès maintenant.",
}
Done = Literal["mot-de-passe", "jeton-revoque"]
RECENT_SIGN_INS = 5
REFUSALS = {  # identity.py's reason codes
    WRONG_PASSWORD: "mot de passe incorrect",
    LOCKED: "compte verrouillé",
    DISABLED: "compte désactivé",
}
SIGN_IN_REQUIRED = "connexion requise : /connexion"


class TokenRow(BaseModel):
    id: int
    label: str | None
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    state: str  # actif, expiré, révoqué


class NewToken(BaseModel):
    id: int
    label: str | None
    expires_at: datetime
    secret: str  # on the answer to its creation only (HTML), never in the JSON twin


class SignInRow(BaseModel):
    at: datetime
    client: str | None
    outcome: str  # réussie, or refusée with why (the account's own: no need to be vague)


class FormError(BaseModel):
    form: Literal["mot-de-passe", "jeton"]
    message: str


class AccountPage(BaseModel):
    layout: Layout
    login: str
    name: str | None
    role: str
    role_label: str
    scope: list[ScopeEntry]
    session_started_at: datetime | None  # this session (None: asked with an API token)
    recent_sign_ins: list[SignInRow]  # the latest first, this session's among them
    password_changed_at: datetime | None
    local_password: bool  # False: no password to change here (an identity provider's)
    password_min_length: int = MIN_LENGTH
    open_sessions: int
    tokens: list[TokenRow]  # never a secret nor a digest
    token_days: int = tokens.DEFAULT_DAYS
    token_max_days: int = tokens.MAX_DAYS
    csrf: str | None  # None when asked with an API token: the forms need a session
    done: str | None = None
    error: FormError | None = None
    new_token: NewToken | None = None


def account_page(
    request: Request,
    done: str | None = None,
    error: FormError | None = None,
    new_token: NewToken | None = None,
) -> AccountPage:
    who = visitor(request)
    if who.account is None:
        raise WebError(401, "sign_in_required", SIGN_IN_REQUIRED)
    now = utc_now()
    with access_of(request).transaction() as con:
        account = account_by_id(con, who.account.id)  # as changed by a form just now
        own = tokens.list_tokens(con, account.id)
        open_sessions = count_open_sessions(con, account.id, now)
        recent = audit.recent(con, account.login, audit.SIGN_IN, RECENT_SIGN_INS)
    frame = layout(request, "Mon compte").model_copy(update={"path": PATH})
    return AccountPage(
        layout=frame,
        login=account.login,
        name=account.display_name,
        role=account.role,
        role_label=ROLE_LABELS.get(account.role, account.role),
        scope=[scope_entry(request, account.role, code) for code in account.scope],
        session_started_at=who.session.created_at if who.session else None,
        recent_sign_ins=[sign_in_row(e) for e in recent],
        password_changed_at=account.password_changed_at,
        local_password=account.password_hash is not None,
        open_sessions=open_sessions,
        tokens=[token_row(t, now) for t in reversed(own)],  # the latest first
        csrf=who.session.csrf_token if who.session else None,
        done=DONE.get(done or ""),
        error=error,
        new_token=new_token,
    )


def sign_in_row(event: audit.AuditEvent) -> SignInRow:
    if event.outcome == audit.OK:
        outcome = "réussie"
    else:
        reason = event.details.get("refus")
        outcome = f"refusée ({REFUSALS.get(reason, reason or 'motif non précisé')})"
    return SignInRow(at=event.at, client=event.client, outcome=outcome)


def token_row(token: tokens.ApiToken, now: datetime) -> TokenRow:
    return TokenRow(
        id=token.id,
        label=token.label,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        state=token.state(now),
    )


def no_store(response: Response) -> Response:
    """Neither the browser nor a proxy keeps this page (it may hold a token's secret)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def answer(request: Request, status: int = 200, **built) -> Response:
    """The page as HTML (a form's answer: `built` are its error or its new token)."""
    page = account_page(request, **built)
    return no_store(render(request, "account.html", status, page=page, layout=page.layout))


@router.get(
    f"{PATH}.json",
    response_model=AccountPage,
    summary="Mon compte : sessions et jetons d'API (compte connecté)",
    responses={401: PRIVATE_ERRORS[401]},
)
def account_json(
    request: Request, response: Response, fait: Annotated[Done | None, Query()] = None
) -> AccountPage:
    no_store(response)
    return account_page(request, fait)


@router.get(PATH, response_class=HTMLResponse, include_in_schema=False)
def account(request: Request, fait: Annotated[Done | None, Query()] = None) -> Response:
    if visitor(request).account is None:
        return RedirectResponse("/connexion", status_code=303)
    return answer(request, done=fait)
