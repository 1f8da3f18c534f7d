"""Who is asking, and may they: the web side of the access layer (src/hospiscope/access).

A request is anonymous unless it carries a valid session cookie (after signing in on
/connexion) or a personal API token (`Authorization: Bearer hsp_…`). Every private answer —
page, JSON twin, export, API — goes through `authorise`, which asks the one rule
(access/rule.py) and writes the access, allowed or refused, to the audit trail. Forms carry a
CSRF token: the session's own once signed in; before (the sign-in form) a random token also
set as a cookie (double submit), since there is no session yet.

The access database (accounts, sessions, audit; SQLite) is written by the server: it sits
beside the warehouse, which the server still only reads."""

from __future__ import annotations

import contextlib
import hmac
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from hospiscope.access import audit, rule, sessions, tokens
from hospiscope.access.accounts import Account
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.access.perimeter import Entity
from hospiscope.access.publication import Publication, read_publication
from hospiscope.web.cache import SESSION_COOKIE
from hospiscope.web.errors import WebError

FORM_CSRF_COOKIE = "hospiscope_formulaire"  # the sign-in form's double-submit token


class Access:
    """The access database of a served warehouse (one SQLite connection, one writer at a
    time: private requests are few and short)."""

    def __init__(self, warehouse: Path):
        self.path = access_path(warehouse)
        self.db = AccessDatabase(self.path)
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self.db.transaction() as con:
            yield con

    def publication(self) -> Publication:
        """The review states now (a read: no write lock taken)."""
        with self._lock:
            return read_publication(self.db.con)

    def close(self) -> None:
        self.db.close()


@dataclass(frozen=True)
class Visitor:
    principal: rule.Principal
    account: Account | None = None
    session: sessions.Session | None = None
    via: str | None = None  # "session" | "token" | None (anonymous)


ANONYMOUS = Visitor(rule.ANONYMOUS)


def access_of(request: Request) -> Access:
    return request.app.state.access


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def visitor(request: Request) -> Visitor:
    """Who is asking (found once per request). A refused API token is an error (the caller
    asked to be someone); a stale session cookie only makes the visitor anonymous."""
    found = getattr(request.state, "visitor", None)
    if found is not None:
        return found
    found = _identify(request)
    request.state.visitor = found
    return found


def _identify(request: Request) -> Visitor:
    header = request.headers.get("authorization", "")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not header and not cookie:
        return ANONYMOUS
    now = utc_now()
    with access_of(request).transaction() as con:
        if header:
            found = _by_token(request, con, header, now)
        else:
            checked = sessions.check_session(con, cookie, now)
    if header:  # (a refusal is raised once its audit event is committed)
        if isinstance(found, WebError):
            raise found
        return found
    if not checked.ok:
        return ANONYMOUS
    return Visitor(_principal(checked.account), checked.account, checked.session, "session")


def _by_token(request: Request, con: sqlite3.Connection, header: str, now) -> Visitor | WebError:
    scheme, _, secret = header.partition(" ")
    checked = tokens.verify_token(con, secret.strip(), now) if scheme.lower() == "bearer" else None
    if checked is None or not checked.ok:
        reason = "unknown" if checked is None else checked.refusal
        audit.record(
            con,
            actor=None,
            role=None,
            action=audit.TOKEN_USE,
            outcome=audit.REFUSED,
            route=request.url.path,
            client=client_of(request),
            details={"refus": reason},
        )
        message = checked.message if checked is not None else "jeton d'accès attendu (Bearer)"
        return WebError(401, "invalid_token", f"jeton refusé : {message}")
    return Visitor(_principal(checked.account), checked.account, None, "token")


def _principal(account: Account) -> rule.Principal:
    return rule.Principal(role=account.role, scope=tuple(account.scope), login=account.login)


def authorise(
    request: Request, entity: Entity, kind: str, *, campaign_state: str | None = None
) -> Visitor:
    """The visitor, if the rule lets them see `kind` of `entity`'s data; else the rule's
    refusal in the one error shape (404 outside the perimeter, as for nothing there). Either
    way the access is in the audit trail."""
    who = visitor(request)
    perimeter = request.app.state.store.prepared("perimeter")
    decision = rule.decide(who.principal, entity, kind, perimeter, campaign_state=campaign_state)
    with access_of(request).transaction() as con:
        audit.record(
            con,
            actor=who.principal.login,
            role=who.principal.role,
            action=audit.PRIVATE_ACCESS,
            outcome=audit.OK if decision.allowed else audit.REFUSED,
            entity_kind=entity.kind,
            entity_id=entity.id,
            route=request.url.path,
            client=client_of(request),
            details={"donnees": kind, "via": who.via, "motif": decision.detail or None},
        )
    if not decision.allowed:
        status = 401 if who.principal.role is None and decision.status == 403 else decision.status
        code = {401: "sign_in_required", 403: "forbidden", 404: "not_found"}[status]
        raise WebError(status, code, decision.reason)
    return who


def form_token(request: Request) -> str:
    """The CSRF token a form of this visitor carries: the session's, or a fresh double-submit
    token before signing in (the caller sets FORM_CSRF_COOKIE to it)."""
    who = visitor(request)
    if who.session is not None:
        return who.session.csrf_token
    return request.cookies.get(FORM_CSRF_COOKIE) or secrets.token_urlsafe(32)


def check_form_token(request: Request, presented: str | None) -> None:
    """Refuse a form without the visitor's CSRF token (403, in the one error shape)."""
    who = visitor(request)
    expected = (
        who.session.csrf_token if who.session is not None else request.cookies.get(FORM_CSRF_COOKIE)
    )
    if not expected or not presented or not hmac.compare_digest(
        expected.encode(), presented.encode()
    ):
        raise WebError(
            403,
            "csrf",
            "formulaire refusé : jeton de sécurité absent ou périmé ; rechargez la page et "
            "recommencez",
        )
