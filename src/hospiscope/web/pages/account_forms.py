"""The forms of the account page (/espace/compte, account.py). Each is a POST with the
session's CSRF token, and each is recorded in the audit trail, accepted or refused with why,
under the actions of `hospiscope users` (account.password, token.issue, token.revoke) and
never with a password or a secret:
- mot-de-passe: access/password_change.py, then 303 back to the page with
  `?fait=mot-de-passe`; a refusal re-renders the page with its message (400, or 401 for a
  wrong current password or a locked account);
- jetons: a new token, whose secret is shown on the answer itself and only there (201): it is
  not stored, and a redirect would put it in a URL;
- jetons/{jeton}/revocation: the account's own tokens only (another's: 404, as for none).
They need a session opened by the sign-in form: an API token can neither change the password
nor make more tokens (a leaked token must not turn into a lasting access)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hospiscope.access import audit, tokens
from hospiscope.access.accounts import AccountError
from hospiscope.access.clock import utc_now
from hospiscope.access.password_change import UNAUTHORISED, change_password
from hospiscope.access.passwords import MAX_LENGTH
from hospiscope.web.auth import Visitor, access_of, check_form_token, client_of, visitor
from hospiscope.web.errors import WebError
from hospiscope.web.pages.account import PATH, SIGN_IN_REQUIRED, FormError, NewToken, answer
from hospiscope.web.twins import PRIVATE_ERRORS

router = APIRouter(tags=["espaces privés"])

LABEL_MAX = 80
FORM_RESPONSES = {
    303: {"description": "fait (redirige vers /espace/compte)"},
    **{status: PRIVATE_ERRORS[status] for status in (400, 401, 403)},
}


def _form_visitor(request: Request, csrf: str | None, action: str) -> Visitor:
    """The account posting a form from its session, its CSRF token checked; a refusal other
    than "not signed in" is recorded before it is raised."""
    who = visitor(request)
    if who.account is None:
        raise WebError(401, "sign_in_required", SIGN_IN_REQUIRED)
    if who.session is None:
        _record(request, who, action, False, {"refus": "jeton_api"})
        raise WebError(
            403,
            "session_required",
            "formulaire réservé à une session ouverte sur /connexion : un jeton d'API ne "
            "change ni le mot de passe ni les jetons",
        )
    try:
        check_form_token(request, csrf)
    except WebError:
        _record(request, who, action, False, {"refus": "csrf"})
        raise
    return who


def _record(request: Request, who: Visitor, action: str, ok: bool, details: dict, con=None):
    """One event about the visitor's own account (in `con`'s transaction if given)."""
    event = {
        "actor": who.account.login,
        "role": who.account.role,
        "action": action,
        "outcome": audit.OK if ok else audit.REFUSED,
        "entity_kind": "account",
        "entity_id": who.account.login,
        "route": request.url.path,
        "client": client_of(request),
        "details": details,
    }
    if con is not None:
        audit.record(con, **event)
        return
    with access_of(request).transaction() as own:
        audit.record(own, **event)


def _redirect(done: str) -> Response:
    return RedirectResponse(f"{PATH}?fait={done}", status_code=303)


PasswordField = Annotated[str, Form(max_length=2 * MAX_LENGTH)]  # longer: the policy says so
CsrfField = Annotated[str | None, Form(max_length=128)]


@router.post(
    f"{PATH}/mot-de-passe",
    response_class=HTMLResponse,
    summary="Changer son mot de passe (formulaire ; les autres sessions sont fermées)",
    responses=FORM_RESPONSES,
)
def change_own_password(
    request: Request,
    mot_de_passe_actuel: PasswordField,
    nouveau_mot_de_passe: PasswordField,
    confirmation: PasswordField,
    csrf: CsrfField = None,
) -> Response:
    who = _form_visitor(request, csrf, audit.ACCOUNT_PASSWORD)
    with access_of(request).transaction() as con:
        outcome = change_password(
            con,
            who.account,
            mot_de_passe_actuel,
            nouveau_mot_de_passe,
            confirmation,
            who.session.id,
            utc_now(),
        )
        details = {"sessions_fermees": outcome.closed_sessions} if outcome.ok else {}
        details |= {} if outcome.ok else {"refus": outcome.refusal}
        _record(request, who, audit.ACCOUNT_PASSWORD, outcome.ok, details, con)
    if outcome.ok:
        return _redirect("mot-de-passe")
    status = 401 if outcome.refusal in UNAUTHORISED else 400
    return answer(request, status, error=FormError(form="mot-de-passe", message=outcome.message))


@router.post(
    f"{PATH}/jetons",
    response_class=HTMLResponse,
    status_code=201,
    summary="Créer un jeton d'API personnel (sa valeur est affichée une seule fois)",
    responses={201: {"description": "jeton créé, affiché une fois"}, **FORM_RESPONSES},
)
def create_own_token(
    request: Request,
    libelle: Annotated[str, Form(max_length=LABEL_MAX)] = "",
    duree: Annotated[int, Form()] = tokens.DEFAULT_DAYS,
    csrf: CsrfField = None,
) -> Response:
    who = _form_visitor(request, csrf, audit.TOKEN_ISSUE)
    label = " ".join(libelle.split())
    issued, error = None, "Donnez un libellé au jeton : à quoi, ou à quel script, il sert."
    with access_of(request).transaction() as con:
        if label:
            try:
                issued = tokens.issue_token(con, who.account, utc_now(), label, duree)
            except AccountError as refused:
                error = f"{str(refused)[:1].upper()}{str(refused)[1:]}."
        if issued is None:
            details = {"refus": "duree" if label else "libelle", "libelle": label or None}
        else:
            details = {
                "jeton": issued.token.id,
                "libelle": label,
                "expire": issued.token.expires_at,
            }
        _record(request, who, audit.TOKEN_ISSUE, issued is not None, details, con)
    if issued is None:
        return answer(request, 400, error=FormError(form="jeton", message=error))
    token = issued.token
    shown = NewToken(
        id=token.id, label=token.label, expires_at=token.expires_at, secret=issued.secret
    )
    return answer(request, 201, new_token=shown)


@router.post(
    f"{PATH}/jetons/{{jeton}}/revocation",
    response_class=HTMLResponse,
    summary="Révoquer un de ses jetons d'API",
    responses={**FORM_RESPONSES, 404: PRIVATE_ERRORS[404]},
)
def revoke_own_token(
    request: Request, jeton: Annotated[int, Path(ge=1)], csrf: CsrfField = None
) -> Response:
    who = _form_visitor(request, csrf, audit.TOKEN_REVOKE)
    with access_of(request).transaction() as con:
        own = tokens.find_own_token(con, who.account.id, jeton)
        if own is not None:
            tokens.revoke_token(con, own.id, utc_now())
            details = {"jeton": jeton}
        else:  # the precise case for the audit trail only: the answer is the same
            other = tokens.find_token(con, jeton) is not None
            details = {"jeton": jeton, "refus": "autre_compte" if other else "inconnu"}
        _record(request, who, audit.TOKEN_REVOKE, own is not None, details, con)
    if own is None:
        raise WebError(404, "unknown_token", f"jeton n° {jeton} introuvable parmi les vôtres")
    return _redirect("jeton-revoque")
