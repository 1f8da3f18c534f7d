"""Signing in and out of the private spaces, and the landing page of a signed-in user
(/espace: who they are and what they may open). Local passwords for now (access/identity.py:
an OpenID Connect provider would implement the same IdentityProvider)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from hospiscope.access import audit, sessions
from hospiscope.access.accounts import ROLE_LABELS
from hospiscope.access.clock import utc_now
from hospiscope.access.identity import authenticate
from hospiscope.geo.reference import geography
from hospiscope.web.auth import (
    FORM_CSRF_COOKIE,
    access_of,
    check_form_token,
    client_of,
    form_token,
    visitor,
)
from hospiscope.web.cache import SESSION_COOKIE
from hospiscope.web.errors import ErrorResponse, WebError
from hospiscope.web.pages.common import Choice, Layout, layout
from hospiscope.web.templating import render
from hospiscope.web.twins import PRIVATE_ERRORS

router = APIRouter(tags=["espaces privés"])

# Attempts per client address (hospiscope's choice, beside the per-account lock-out of
# access/accounts.py): more within the window are refused with 429.
MAX_ATTEMPTS, ATTEMPT_WINDOW_SECONDS = 10, 300


class SignInPage(BaseModel):
    layout: Layout
    csrf: str
    message: str | None = None
    login: str = ""


class ScopeEntry(Choice):
    url: str | None  # its page in the private space, where there is one


class SpacePage(BaseModel):
    layout: Layout
    login: str
    name: str | None
    role: str
    role_label: str
    scope: list[ScopeEntry]  # the entities the account covers, with their names
    links: list[Choice]  # the pages of the role (code: their address)
    csrf: str


ROLE_PAGES = {
    "national": [
        ("/espace/national", "Campagnes, importations et calculs"),
        ("/espace/national/revue", "Revue et publication des campagnes"),
        ("/espace/regions", "Régions et GHT : tableaux des établissements"),
        ("/espace/audit", "Journal d'audit"),
    ],
    "admin": [("/espace/comptes", "Comptes des espaces privés")],
}


class Attempts:
    """Sign-in attempts per client address in the last window (one counter per server:
    app.state.sign_in_attempts)."""

    def __init__(self):
        self._seen: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str | None) -> bool:
        now, key = time.monotonic(), client or "?"
        with self._lock:
            seen = self._seen[key]
            while seen and now - seen[0] > ATTEMPT_WINDOW_SECONDS:
                seen.popleft()
            if len(seen) >= MAX_ATTEMPTS:
                return False
            seen.append(now)
            return True


def _sign_in_page(request: Request, message: str | None = None, login: str = "") -> SignInPage:
    return SignInPage(
        layout=layout(request, "Connexion aux espaces professionnels"),
        csrf=form_token(request),
        message=message,
        login=login,
    )


def _with_form_cookie(request: Request, response: Response, token: str) -> Response:
    if visitor(request).session is None:
        response.set_cookie(
            FORM_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/connexion",
        )
    return response


@router.get("/connexion.json", response_model=SignInPage, summary="Formulaire de connexion")
def sign_in_form_json(request: Request) -> Response:
    built = _sign_in_page(request)
    response = Response(built.model_dump_json(), media_type="application/json")
    return _with_form_cookie(request, response, built.csrf)


@router.get("/connexion", response_class=HTMLResponse, include_in_schema=False)
def sign_in_form(request: Request) -> Response:
    if visitor(request).account is not None:
        return RedirectResponse("/espace", status_code=303)
    built = _sign_in_page(request)
    response = render(request, "signin.html", page=built, layout=built.layout)
    return _with_form_cookie(request, response, built.csrf)


@router.post(
    "/connexion",
    response_class=HTMLResponse,
    summary="Se connecter (formulaire ; redirige vers /espace)",
    responses={
        303: {"description": "connecté"},
        **{s: PRIVATE_ERRORS[s] for s in (400, 401, 403)},
        429: {"model": ErrorResponse, "description": "trop de tentatives"},
    },
)
def sign_in(
    request: Request,
    identifiant: Annotated[str, Form(max_length=64)],
    mot_de_passe: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str | None, Form(max_length=128)] = None,
) -> Response:
    client = client_of(request)
    if not request.app.state.sign_in_attempts.allow(client):
        raise WebError(
            429,
            "too_many_attempts",
            "trop de tentatives de connexion depuis votre adresse : réessayez dans quelques "
            "minutes",
        )
    check_form_token(request, csrf)
    now = utc_now()
    with access_of(request).transaction() as con:
        outcome = authenticate(con, identifiant, mot_de_passe, now)
        account = outcome.account
        audit.record(
            con,
            actor=account.login if account else identifiant[:64],
            role=account.role if account else None,
            action=audit.SIGN_IN,
            outcome=audit.OK if outcome.ok else audit.REFUSED,
            route="/connexion",
            client=client,
            details=None if outcome.ok else {"refus": outcome.refusal},
        )
        opened = sessions.open_session(con, account, now, client) if outcome.ok else None
    if opened is None:
        built = _sign_in_page(request, outcome.message, identifiant)
        response = render(request, "signin.html", status=401, page=built, layout=built.layout)
        return _with_form_cookie(request, response, built.csrf)
    response = RedirectResponse("/espace", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        opened.cookie_value,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=int(sessions.ABSOLUTE_TIMEOUT.total_seconds()),
    )
    response.delete_cookie(FORM_CSRF_COOKIE, path="/connexion")
    return response


@router.post(
    "/deconnexion",
    response_class=HTMLResponse,
    summary="Se déconnecter",
    responses={303: {"description": "déconnecté"}, 403: PRIVATE_ERRORS[403]},
)
def sign_out(
    request: Request, csrf: Annotated[str | None, Form(max_length=128)] = None
) -> Response:
    who = visitor(request)
    if who.session is None:
        return RedirectResponse("/", status_code=303)
    check_form_token(request, csrf)
    with access_of(request).transaction() as con:
        sessions.revoke_session(con, request.cookies[SESSION_COOKIE], utc_now())
        audit.record(
            con,
            actor=who.account.login,
            role=who.account.role,
            action=audit.SIGN_OUT,
            outcome=audit.OK,
            route="/deconnexion",
            client=client_of(request),
        )
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _space(request: Request) -> SpacePage:
    who = visitor(request)
    if who.account is None:
        raise WebError(401, "sign_in_required", "connexion requise : /connexion")
    account = who.account
    return SpacePage(
        layout=layout(request, "Mon espace"),
        login=account.login,
        name=account.display_name,
        role=account.role,
        role_label=ROLE_LABELS.get(account.role, account.role),
        scope=[scope_entry(request, account.role, code) for code in account.scope],
        links=[Choice(code=url, label=label) for url, label in ROLE_PAGES.get(account.role, [])],
        csrf=form_token(request),
    )


def scope_entry(request: Request, role: str, code: str) -> ScopeEntry:
    """One entity of an account's scope, named, with its page in the private space."""
    perimeter = request.app.state.store.prepared("perimeter")
    row = request.app.state.store.prepared("search").establishment(code)
    if row is not None:
        label = f"{row['name']} ({row['city'] or 'commune inconnue'})"
        return ScopeEntry(code=code, label=label, url=f"/espace/etablissements/{code}")
    region = geography().regions.get(code)
    label = perimeter.ght_names.get(code) or (region.name if region else code)
    # The table of the GHT or of the region, when the account's scope names a known one.
    url = None
    if role == "ght" and code in perimeter.ght_names:
        url = f"/espace/ght/{code}"
    elif role == "ars" and code in perimeter.region_ets:
        url = f"/espace/regions/{code}"
    return ScopeEntry(code=code, label=label, url=url)


@router.get(
    "/espace.json",
    response_model=SpacePage,
    summary="Mon espace (compte connecté)",
    responses={401: PRIVATE_ERRORS[401]},
)
def space_json(request: Request) -> SpacePage:
    return _space(request)


@router.get("/espace", response_class=HTMLResponse, include_in_schema=False)
def space(request: Request) -> Response:
    if visitor(request).account is None:
        return RedirectResponse("/connexion", status_code=303)
    built = _space(request)
    return render(request, "space.html", page=built, layout=built.layout)
