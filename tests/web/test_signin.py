"""Signing in to the private spaces: the form's CSRF token, wrong passwords (one message, the
precise reason in the audit trail), lock-out, the per-address limit, the session cookie and
its flags, tampered cookies, API tokens, signing out — each refusal in the one error shape and
recorded. On the hostile registry's small warehouse (fast)."""

from __future__ import annotations

import re

import pytest

from hospiscope.access import accounts, audit, tokens
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.web.pages import signin
from web.conftest import HOSTILE_FINESS, client_of

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def site(hostile_warehouse):
    """A fresh portal (its own count of attempts) with one establishment account."""
    path = access_path(hostile_warehouse)
    path.unlink(missing_ok=True)
    with AccessDatabase(path) as db, db.transaction() as con:
        accounts.add_account(
            con, "clinique.a", "etablissement", [HOSTILE_FINESS], PASSWORD, utc_now(), "Clinique A"
        )
    client = client_of(hostile_warehouse)
    yield client
    client.app.state.access.close()


def _events(site, action):
    with site.app.state.access.transaction() as con:
        found = [e for e in audit.read(con, limit=1000) if e.action == action]
    return sorted(found, key=lambda e: e.seq)  # oldest first


def _csrf(site) -> str:
    page = site.get("/connexion")
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _sign_in(site, password=PASSWORD, login="clinique.a"):
    form = {"identifiant": login, "mot_de_passe": password, "csrf": _csrf(site)}
    return site.post("/connexion", data=form, follow_redirects=False)


def test_sign_in_then_the_space_then_sign_out(site):
    answer = _sign_in(site)
    assert answer.status_code == 303 and answer.headers["location"] == "/espace"
    cookie = answer.headers["set-cookie"]
    assert "hospiscope_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    space = site.get("/espace.json").json()
    assert space["login"] == "clinique.a" and space["role"] == "etablissement"
    assert space["scope"][0]["code"] == HOSTILE_FINESS
    html = site.get("/espace").text
    assert "&lt;script&gt;" in html and "<script>alert" not in html  # imported name escaped
    assert _events(site, audit.SIGN_IN)[-1].outcome == audit.OK
    out = site.post("/deconnexion", data={"csrf": space["csrf"]}, follow_redirects=False)
    assert out.status_code == 303
    assert site.get("/espace", follow_redirects=False).headers["location"] == "/connexion"
    assert site.get("/espace.json").status_code == 401
    assert _events(site, audit.SIGN_OUT)


def test_a_wrong_password_and_an_unknown_login_read_the_same(site):
    wrong, unknown = _sign_in(site, "mauvais mot de passe"), _sign_in(site, login="personne")
    assert wrong.status_code == unknown.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in wrong.text
    assert "Identifiant ou mot de passe incorrect." in unknown.text
    reasons = [e.details["refus"] for e in _events(site, audit.SIGN_IN)]
    assert reasons[-2:] == ["wrong_password", "unknown"]


def test_five_failures_lock_the_account(site):
    for _ in range(accounts.MAX_FAILURES):
        _sign_in(site, "mauvais mot de passe")
    locked = _sign_in(site)  # even the right password, while locked
    assert locked.status_code == 401 and "verrouillé" in locked.text
    assert _events(site, audit.SIGN_IN)[-1].details["refus"] == "locked"


def test_too_many_attempts_from_one_address(site):
    for _ in range(signin.MAX_ATTEMPTS):
        _sign_in(site, login="personne")
    refused = _sign_in(site, login="personne")
    assert refused.status_code == 429 and "trop de tentatives" in refused.text


def test_a_form_without_its_csrf_token_is_refused(site):
    site.get("/connexion")
    form = {"identifiant": "clinique.a", "mot_de_passe": PASSWORD}
    assert site.post("/connexion", data=form).status_code == 403
    form["csrf"] = "forgé"
    answer = site.post("/connexion", data=form)
    assert answer.status_code == 403 and "jeton de sécurité" in answer.text
    _sign_in(site)
    assert site.post("/deconnexion", data={"csrf": "forgé"}).status_code == 403


def test_a_tampered_session_cookie_is_anonymous(site):
    _sign_in(site)
    site.cookies.set("hospiscope_session", "falsifie-" + "x" * 40)
    assert site.get("/espace.json").status_code == 401


def test_api_tokens_revoked_or_unknown_are_refused(site):
    with site.app.state.access.transaction() as con:
        account = accounts.get_account(con, "clinique.a")
        issued = tokens.issue_token(con, account, utc_now(), "essai")
    bearer = {"Authorization": f"Bearer {issued.secret}"}
    assert site.get("/espace.json", headers=bearer).json()["login"] == "clinique.a"
    with site.app.state.access.transaction() as con:
        tokens.revoke_token(con, issued.token.id, utc_now())
    refused = site.get("/espace.json", headers=bearer)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_token"
    assert site.get("/espace.json", headers={"Authorization": "Bearer hsp_x"}).status_code == 401
    assert [e.outcome for e in _events(site, audit.TOKEN_USE)][-2:] == ["refused", "refused"]


OTHER_FINESS = "010000107"  # another establishment of the fixtures' registry


@pytest.mark.parametrize(
    ("login", "role", "scope", "own", "other", "unknown"),
    [
        ("clinique.a", None, None, 200, 404, 404),  # its own establishment only
        ("equipe.nationale", "national", [], 200, 200, 404),
        ("admin.comptes", "admin", [], 403, 403, 403),  # accounts, no data: said by role
    ],
)
def test_the_private_establishment_page_follows_the_rule(
    site, login, role, scope, own, other, unknown
):
    if role is not None:
        with site.app.state.access.transaction() as con:
            accounts.add_account(con, login, role, scope, PASSWORD, utc_now())
    anonymous = site.get(f"/espace/etablissements/{HOSTILE_FINESS}.json")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "sign_in_required"
    _sign_in(site, login=login)
    for finess, status in ((HOSTILE_FINESS, own), (OTHER_FINESS, other), ("999999999", unknown)):
        for suffix in ("", ".json"):
            assert site.get(f"/espace/etablissements/{finess}{suffix}").status_code == status
    outside = site.get(f"/espace/etablissements/{OTHER_FINESS}.json").json()
    nothing = site.get("/espace/etablissements/999999999.json").json()
    if other == 404:  # outside the perimeter reads exactly as nothing there
        assert outside == nothing
    events = _events(site, audit.PRIVATE_ACCESS)
    assert {(e.actor, e.entity_id, e.outcome) for e in events} >= {
        (login, HOSTILE_FINESS, "ok" if own == 200 else "refused"),
        (None, HOSTILE_FINESS, "refused"),
    }


def test_private_pages_are_never_cached(site):
    _sign_in(site)
    site.get(f"/espace/etablissements/{HOSTILE_FINESS}")
    pages = site.app.state.pages
    assert not any(key[1].startswith("/espace") for key in pages._entries)


@pytest.mark.parametrize(("role", "status"), [("national", 200), ("admin", 403), (None, 403)])
def test_national_pages_are_for_the_national_team(site, role, status):
    login = "clinique.a"
    if role is not None:
        login = f"compte.{role}"
        with site.app.state.access.transaction() as con:
            accounts.add_account(con, login, role, [], PASSWORD, utc_now())
    _sign_in(site, login=login)
    for url in ("/espace/national", "/espace/national.json", "/espace/audit.json"):
        assert site.get(url).status_code == status
    if status == 200:
        national = site.get("/espace/national.json").json()
        assert national["imports"][0]["kind"]  # the registry import of the fixture
        events = site.get(f"/espace/audit.json?utilisateur={login}").json()["events"]
        assert {e["action"] for e in events} >= {"sign_in", "private_access"}
        assert site.get("/espace/audit?utilisateur=<script>").status_code == 400
        assert {link["code"] for link in site.get("/espace.json").json()["links"]} == {
            "/espace/national",
            "/espace/national/revue",
            "/espace/regions",
            "/espace/audit",
        }


def test_the_accounts_page_is_for_the_accounts_administrator(site):
    with site.app.state.access.transaction() as con:
        accounts.add_account(con, "compte.admin", "admin", [], PASSWORD, utc_now())
    _sign_in(site)
    assert site.get("/espace/comptes.json").status_code == 403  # by role: reveals nothing
    site.post("/deconnexion", data={"csrf": site.get("/espace.json").json()["csrf"]})
    _sign_in(site, login="compte.admin")
    listed = site.get("/espace/comptes.json").json()["accounts"]
    states = {a["login"]: a["state"] for a in listed}
    assert states == {"clinique.a": "actif", "compte.admin": "actif"}
    assert "password" not in str(listed) and "argon2" not in site.get("/espace/comptes").text
