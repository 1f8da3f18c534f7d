"""The account's own page (/espace/compte): password change (the other sessions closed, this
one kept; a wrong current password audited and counted towards the lock-out; the policy's
messages), personal API tokens (the secret shown once, never stored nor listed, `no-store`;
usable as Bearer, revocable, only one's own), CSRF on every form. On the hostile registry's
small warehouse (fast)."""

from __future__ import annotations

import re

import pytest

from hospiscope.access import accounts, audit, sessions, tokens
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.web.cache import SESSION_COOKIE
from web.conftest import HOSTILE_FINESS, client_of

PASSWORD = "un mot de passe assez long"
NEW_PASSWORD = "une toute nouvelle phrase de passe"


@pytest.fixture
def site(hostile_warehouse):
    """A fresh portal with one establishment account, signed in."""
    path = access_path(hostile_warehouse)
    path.unlink(missing_ok=True)
    with AccessDatabase(path) as db, db.transaction() as con:
        accounts.add_account(
            con, "clinique.a", "etablissement", [HOSTILE_FINESS], PASSWORD, utc_now(), "Clinique A"
        )
    client = client_of(hostile_warehouse)
    assert _sign_in(client).status_code == 303
    yield client
    client.app.state.access.close()


@pytest.fixture
def second(hostile_warehouse, site):
    """Another browser on the same portal's data (its own cookies)."""
    client = client_of(hostile_warehouse)
    yield client
    client.app.state.access.close()


def _sign_in(client, password=PASSWORD, login="clinique.a"):
    page = client.get("/connexion")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    form = {"identifiant": login, "mot_de_passe": password, "csrf": csrf}
    return client.post("/connexion", data=form, follow_redirects=False)


def _csrf(site) -> str:
    return site.get("/espace/compte.json").json()["csrf"]


def _events(site, action):
    with site.app.state.access.transaction() as con:
        found = [e for e in audit.read(con, limit=1000) if e.action == action]
    return sorted(found, key=lambda e: e.seq)  # oldest first


def _account(site, login="clinique.a"):
    with site.app.state.access.transaction() as con:
        return accounts.get_account(con, login)


def _other_session(site, login="clinique.a") -> dict:
    """Another browser's session of the account (its cookie header)."""
    with site.app.state.access.transaction() as con:
        opened = sessions.open_session(con, accounts.get_account(con, login), utc_now())
    return {"Cookie": f"{SESSION_COOKIE}={opened.cookie_value}"}


def _change(site, current=PASSWORD, new=NEW_PASSWORD, confirmation=None, csrf=True):
    form = {
        "mot_de_passe_actuel": current,
        "nouveau_mot_de_passe": new,
        "confirmation": new if confirmation is None else confirmation,
    }
    if csrf:
        form["csrf"] = _csrf(site) if csrf is True else csrf
    return site.post("/espace/compte/mot-de-passe", data=form, follow_redirects=False)


def _create_token(site, label="tableau de bord", days="30"):
    form = {"libelle": label, "duree": days, "csrf": _csrf(site)}
    return site.post("/espace/compte/jetons", data=form, follow_redirects=False)


def _secret(answer) -> str:
    return re.search(r"<code>(hsp_[A-Za-z0-9_-]+)</code>", answer.text).group(1)


def test_the_page_and_its_twin(site):
    html = site.get("/espace/compte")
    assert html.status_code == 200 and html.headers["cache-control"] == "no-store"
    assert "Changer le mot de passe" in html.text and "clinique.a" in html.text
    assert "&lt;script&gt;" in html.text and "<script>alert" not in html.text  # scope's name
    twin = site.get("/espace/compte.json")
    assert twin.headers["cache-control"] == "no-store"
    body = twin.json()
    assert body["login"] == "clinique.a" and body["role"] == "etablissement"
    assert body["scope"][0]["code"] == HOSTILE_FINESS
    assert body["open_sessions"] == 1 and body["local_password"] is True
    assert body["session_started_at"] and len(body["recent_sign_ins"]) == 1
    assert body["tokens"] == [] and body["new_token"] is None
    assert '<a href="/espace/compte">Mon compte</a>' in site.get("/espace").text


def test_recent_sign_ins_are_shown_with_refusals(site, second):
    _sign_in(second, "pas le bon mot de passe")
    _sign_in(second)
    body = site.get("/espace/compte.json").json()
    outcomes = [row["outcome"] for row in body["recent_sign_ins"]]
    assert outcomes == ["réussie", "refusée (mot de passe incorrect)", "réussie"]
    assert body["open_sessions"] == 2
    assert "refusée (mot de passe incorrect)" in site.get("/espace/compte").text


def test_anonymous_visitors_sign_in_first(hostile_portal):
    assert hostile_portal.get("/espace/compte.json").status_code == 401
    page = hostile_portal.get("/espace/compte", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/connexion"
    for path in ("mot-de-passe", "jetons", "jetons/1/revocation"):
        assert hostile_portal.post(f"/espace/compte/{path}", data={}).status_code in (400, 401)
    refused = hostile_portal.post("/espace/compte/jetons/1/revocation", data={"csrf": "x"})
    assert refused.status_code == 401


def test_change_password(site, second):
    other = _other_session(site)
    assert site.get("/espace.json", headers=other).status_code == 200
    answer = _change(site)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/espace/compte?fait=mot-de-passe"
    page = site.get(answer.headers["location"])
    assert re.search(r'<p class="status-message" role="status">Mot de passe changé\.', page.text)
    assert site.get("/espace.json").status_code == 200  # this session is kept
    assert site.get("/espace.json", headers=other).status_code == 401  # the other one closed
    assert _sign_in(second).status_code == 401  # the old password no longer works
    assert _sign_in(second, NEW_PASSWORD).status_code == 303
    event = _events(site, audit.ACCOUNT_PASSWORD)[-1]
    assert event.outcome == audit.OK and event.actor == event.entity_id == "clinique.a"
    assert event.details == {"sessions_fermees": 1}
    assert event.route == "/espace/compte/mot-de-passe"


def test_a_wrong_current_password_is_refused_audited_and_counted(site, second):
    answer = _change(site, current="pas le bon mot de passe")
    assert answer.status_code == 401
    assert "Mot de passe actuel incorrect : rien n&#39;a été changé." in answer.text
    assert 'role="alert"' in answer.text
    event = _events(site, audit.ACCOUNT_PASSWORD)[-1]
    assert event.outcome == audit.REFUSED and event.details == {"refus": "wrong_password"}
    assert _account(site).failed_attempts == 1
    for _ in range(accounts.MAX_FAILURES - 1):
        last = _change(site, current="pas le bon mot de passe")
    assert last.status_code == 401 and "Compte verrouillé après 5 échecs" in last.text
    assert _account(site).locked(utc_now())
    assert _change(site).status_code == 401  # even the right one, while locked
    assert _events(site, audit.ACCOUNT_PASSWORD)[-1].details == {"refus": "locked"}
    assert site.get("/espace/compte.json").status_code == 200  # the session stays open
    locked = _sign_in(second)
    assert locked.status_code == 401 and "verrouillé" in locked.text


def test_no_password_in_the_audit_trail(site):
    _change(site, current="mauvais mot de passe secret")
    _change(site, new="court")
    _change(site)
    with site.app.state.access.transaction() as con:
        trail = repr(audit.read(con, limit=1000))
    for secret in (PASSWORD, NEW_PASSWORD, "mauvais mot de passe secret", "court"):
        assert secret not in trail


@pytest.mark.parametrize(
    ("new", "confirmation", "message"),
    [
        ("court", None, "Mot de passe trop court (5 caractère(s)) : au moins 12 caractères"),
        ("x" * 1025, None, "Mot de passe trop long : au plus 1024 caractères."),
        (" " * 12, None, "ne peut pas être fait que d&#39;espaces"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "Les deux saisies du nouveau mot de passe diffèrent"),
        (PASSWORD, None, "Le nouveau mot de passe est l&#39;actuel"),
    ],
)
def test_a_refused_new_password_says_why(site, new, confirmation, message):
    answer = _change(site, new=new, confirmation=confirmation)
    assert answer.status_code == 400 and message in answer.text
    assert _account(site).failed_attempts == 0  # nothing verified: no failure counted
    assert _events(site, audit.ACCOUNT_PASSWORD)[-1].outcome == audit.REFUSED
    assert _sign_in(site).status_code == 303  # unchanged


def test_every_form_needs_its_csrf_token(site):
    account = _account(site)
    with site.app.state.access.transaction() as con:
        issued = tokens.issue_token(con, account, utc_now(), "essai")
    posts = {
        "/espace/compte/mot-de-passe": {
            "mot_de_passe_actuel": PASSWORD,
            "nouveau_mot_de_passe": NEW_PASSWORD,
            "confirmation": NEW_PASSWORD,
        },
        "/espace/compte/jetons": {"libelle": "essai", "duree": "30"},
        f"/espace/compte/jetons/{issued.token.id}/revocation": {},
    }
    for url, form in posts.items():
        for csrf in (None, "forgé"):
            data = form if csrf is None else form | {"csrf": csrf}
            answer = site.post(url, data=data)
            assert answer.status_code == 403 and "jeton de sécurité" in answer.text, url
    refusals = [e for e in _events(site, audit.ACCOUNT_PASSWORD) if e.details == {"refus": "csrf"}]
    assert len(refusals) == 2
    assert _sign_in(site).status_code == 303  # the password is unchanged
    with site.app.state.access.transaction() as con:
        assert len(tokens.list_tokens(con)) == 1 and tokens.get_token(con, 1).revoked_at is None


def test_a_token_is_shown_once_and_works_as_bearer(site, second):
    answer = _create_token(site)
    assert answer.status_code == 201 and answer.headers["cache-control"] == "no-store"
    secret = _secret(answer)
    assert answer.text.count(secret) == 1 and "copiez-le maintenant" in answer.text
    assert "location" not in answer.headers
    for later in (site.get("/espace/compte").text, site.get("/espace/compte.json").text):
        assert secret not in later and tokens.token_hash(secret) not in later
    listed = site.get("/espace/compte.json").json()["tokens"]
    assert [(t["label"], t["state"]) for t in listed] == [("tableau de bord", "actif")]
    assert set(listed[0]) == {"id", "label", "created_at", "expires_at", "last_used_at", "state"}
    bearer = {"Authorization": f"Bearer {secret}"}
    assert second.get("/espace.json", headers=bearer).json()["login"] == "clinique.a"
    assert second.get("/espace/compte.json", headers=bearer).json()["csrf"] is None
    # A token can neither change the password nor make more tokens.
    again = second.post("/espace/compte/jetons", headers=bearer, data={"libelle": "x"})
    assert again.status_code == 403 and "un jeton d&#39;API ne change ni" in again.text
    assert _events(site, audit.TOKEN_ISSUE)[-1].details == {"refus": "jeton_api"}
    assert site.get("/espace/compte.json").json()["tokens"][0]["last_used_at"] is not None
    event = _events(site, audit.TOKEN_ISSUE)[0]
    assert event.outcome == audit.OK and event.details["libelle"] == "tableau de bord"
    assert event.details["jeton"] == listed[0]["id"] and secret not in repr(event)


def test_revoke_then_the_bearer_is_refused(site):
    secret = _secret(_create_token(site))
    token_id = site.get("/espace/compte.json").json()["tokens"][0]["id"]
    url = f"/espace/compte/jetons/{token_id}/revocation"
    answer = site.post(url, data={"csrf": _csrf(site)}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/espace/compte?fait=jeton-revoque"
    assert "Jeton révoqué" in site.get(answer.headers["location"]).text
    refused = site.get("/espace.json", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_token"
    assert site.get("/espace/compte.json").json()["tokens"][0]["state"] == "révoqué"
    assert _events(site, audit.TOKEN_REVOKE)[-1].outcome == audit.OK


def test_another_accounts_token_reads_as_none(site):
    with site.app.state.access.transaction() as con:
        other = accounts.add_account(
            con, "clinique.b", "etablissement", ["010000107"], None, utc_now()
        )
        theirs = tokens.issue_token(con, other, utc_now(), "le leur").token.id
    for token_id in (theirs, 9999):
        answer = site.post(
            f"/espace/compte/jetons/{token_id}/revocation", data={"csrf": _csrf(site)}
        )
        assert answer.status_code == 404 and "introuvable parmi les vôtres" in answer.text
    with site.app.state.access.transaction() as con:
        assert tokens.get_token(con, theirs).revoked_at is None
    refusals = [e.details["refus"] for e in _events(site, audit.TOKEN_REVOKE)]
    assert refusals == ["autre_compte", "inconnu"]
    assert "le leur" not in site.get("/espace/compte").text


@pytest.mark.parametrize(
    ("label", "days", "message"),
    [
        ("", "30", "Donnez un libellé au jeton"),
        ("   ", "30", "Donnez un libellé au jeton"),
        ("essai", "0", "Durée de validité invalide : 0 jour(s) (de 1 à 366)."),
        ("essai", str(tokens.MAX_DAYS + 1), "(de 1 à 366)"),
    ],
)
def test_a_refused_token_says_why(site, label, days, message):
    answer = _create_token(site, label, days)
    assert answer.status_code == 400 and message in answer.text
    assert "hsp_" not in answer.text.replace("hsp_…", "")
    assert _events(site, audit.TOKEN_ISSUE)[-1].outcome == audit.REFUSED
    assert site.get("/espace/compte.json").json()["tokens"] == []


def test_every_role_opens_its_own_page(site):
    with site.app.state.access.transaction() as con:
        accounts.add_account(con, "admin.comptes", "admin", [], PASSWORD, utc_now())
    assert _sign_in(site, login="admin.comptes").status_code == 303
    body = site.get("/espace/compte.json").json()
    assert body["login"] == "admin.comptes" and body["scope"] == []
    assert _create_token(site, "script d'administration").status_code == 201
