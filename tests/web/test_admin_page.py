"""The accounts administrator's pages (/espace/comptes, /espace/comptes/{identifiant}) and
their forms: each change made as `hospiscope users` makes it and audited under the same
actions (refusals too, with why); other roles refused exactly as the one rule says, on every
page and form; CSRF; scopes checked against the warehouse, an unknown one named; one-time
passwords shown once (201, no-store) that work for signing in; an administrator cannot
disable itself nor remove its own admin role; a disabled account's cookie and token stop
working. On the hostile registry's small warehouse (fast)."""

from __future__ import annotations

import re

import pytest

from hospiscope.access import accounts, audit, rule, sessions, tokens
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.access.perimeter import NATION
from hospiscope.web.cache import SESSION_COOKIE
from web.conftest import HOSTILE_FINESS, client_of

PASSWORD = "un mot de passe assez long"
ADMIN = "admin.a"
SECRET = re.compile(r'<p class="secret"><code>([a-z0-9-]+)</code></p>')
# Every form of the pages, with fields that would make a valid change.
FORMS = {
    "/espace/comptes": {"identifiant": "nouveau.compte", "role": "national"},
    "/espace/comptes/clinique.a/desactivation": {},
    "/espace/comptes/clinique.a/activation": {},
    "/espace/comptes/clinique.a/role": {"role": "ars", "perimetre": "84"},
    "/espace/comptes/clinique.a/mot-de-passe": {},
    "/espace/comptes/clinique.a/jetons/1/revocation": {},
}
ACTIONS = {
    "/espace/comptes": audit.ACCOUNT_ADD,
    "desactivation": audit.ACCOUNT_DISABLE,
    "activation": audit.ACCOUNT_ENABLE,
    "role": audit.ACCOUNT_ROLE,
    "mot-de-passe": audit.ACCOUNT_PASSWORD,
    "revocation": audit.TOKEN_REVOKE,
}
PAGES = ("/espace/comptes", "/espace/comptes/clinique.a")
OTHERS = {  # role → (login, scope) of the accounts that are not administrators
    "national": ("equipe.nationale", []),
    "etablissement": ("clinique.a", [HOSTILE_FINESS]),
}


@pytest.fixture
def site(hostile_warehouse):
    """A fresh portal with two administrators, a national account and an establishment's;
    the first administrator signed in."""
    path = access_path(hostile_warehouse)
    path.unlink(missing_ok=True)
    with AccessDatabase(path) as db, db.transaction() as con:
        for login, role, scope in [
            (ADMIN, "admin", []),
            ("admin.b", "admin", []),
            ("equipe.nationale", "national", []),
            ("clinique.a", "etablissement", [HOSTILE_FINESS]),
        ]:
            accounts.add_account(con, login, role, scope, PASSWORD, utc_now(), f"Nom {login}")
    client = client_of(hostile_warehouse)
    assert _sign_in(client, ADMIN).status_code == 303
    yield client
    client.app.state.access.close()


@pytest.fixture
def browser(hostile_warehouse, site):
    """Another browser on the same portal's data (its own cookies)."""
    client = client_of(hostile_warehouse)
    yield client
    client.app.state.access.close()


def _sign_in(client, login, password=PASSWORD):
    page = client.get("/connexion")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    form = {"identifiant": login, "mot_de_passe": password, "csrf": csrf}
    return client.post("/connexion", data=form, follow_redirects=False)


def _csrf(client) -> str:
    return client.get("/espace.json").json()["csrf"]


def _post(client, url, form=None, csrf=True):
    data = dict(form or {})
    if csrf:
        data["csrf"] = _csrf(client) if csrf is True else csrf
    return client.post(url, data=data, follow_redirects=False)


def _events(site, action):
    with site.app.state.access.transaction() as con:
        found = [e for e in audit.read(con, limit=1000) if e.action == action]
    return sorted(found, key=lambda e: e.seq)  # oldest first


def _account(site, login="clinique.a"):
    with site.app.state.access.transaction() as con:
        return accounts.find_account(con, login)


def _session_of(site, login="clinique.a") -> dict:
    """A browser's session of the account (its cookie header)."""
    with site.app.state.access.transaction() as con:
        opened = sessions.open_session(con, accounts.get_account(con, login), utc_now())
    return {"Cookie": f"{SESSION_COOKIE}={opened.cookie_value}"}


def _token_of(site, login="clinique.a"):
    with site.app.state.access.transaction() as con:
        return tokens.issue_token(con, accounts.get_account(con, login), utc_now(), "script")


def test_the_list_and_an_account_page(site):
    html = site.get("/espace/comptes")
    assert html.status_code == 200
    assert '<a href="/espace/comptes/clinique.a">clinique.a</a>' in html.text
    assert 'aria-label="Désactiver le compte clinique.a"' in html.text
    assert 'aria-label="Désactiver le compte admin.a"' not in html.text  # one's own
    assert "<legend>Nouveau compte</legend>" in html.text
    twin = site.get("/espace/comptes.json").json()
    assert [a["login"] for a in twin["accounts"]] == sorted(
        [ADMIN, "admin.b", "clinique.a", "equipe.nationale"]
    )
    assert twin["csrf"] == _csrf(site)
    page = site.get("/espace/comptes/clinique.a")
    assert page.status_code == 200 and "Sessions ouvertes" in page.text
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text  # scope's name
    body = site.get("/espace/comptes/clinique.a.json").json()
    assert body["login"] == "clinique.a" and body["scope"][0]["code"] == HOSTILE_FINESS
    assert body["open_sessions"] == 0 and body["own"] is False
    assert body["one_time_password"] is None and "argon2" not in str(body)
    own = site.get(f"/espace/comptes/{ADMIN}.json").json()
    assert own["own"] is True and own["open_sessions"] == 1
    assert own["recent_sign_ins"][0]["outcome"] == "réussie"
    missing = site.get("/espace/comptes/personne.json")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "compte inconnu : « personne »"


def test_create_an_account_with_a_one_time_password(site, browser):
    form = {"identifiant": "Nouvelle.Clinique", "nom": " Clinique  B ", "role": "etablissement",
            "perimetre": HOSTILE_FINESS}  # fmt: skip
    answer = _post(site, "/espace/comptes", form)
    assert answer.status_code == 201 and answer.headers["cache-control"] == "no-store"
    assert "location" not in answer.headers
    password = SECRET.search(answer.text).group(1)
    assert re.fullmatch(r"([a-z2-9]{5}-){3}[a-z2-9]{5}", password)
    assert "Compte « nouvelle.clinique » créé, rôle établissement." in answer.text
    again = site.get("/espace/comptes/nouvelle.clinique")
    assert password not in again.text and password not in str(site.get(again.url.path + ".json"))
    account = _account(site, "nouvelle.clinique")
    assert account.display_name == "Clinique B" and account.scope == (HOSTILE_FINESS,)
    assert _sign_in(browser, "nouvelle.clinique", password).status_code == 303  # it works
    assert browser.get("/espace.json").json()["login"] == "nouvelle.clinique"
    [event] = _events(site, audit.ACCOUNT_ADD)
    assert (event.actor, event.role, event.outcome) == (ADMIN, "admin", audit.OK)
    assert (event.entity_kind, event.entity_id) == ("account", "nouvelle.clinique")
    assert event.route == "/espace/comptes"
    assert event.details == {"role": "etablissement", "perimetre": [HOSTILE_FINESS]}
    assert password not in str(event)


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        ("etablissement", f"{HOSTILE_FINESS}, 999999999", "FINESS inconnu(s) du registre de "
         "l&#39;entrepôt : 999999999"),
        ("ght", "GHT-INCONNU", "(reçu : GHT-INCONNU)"),
        ("ars", "99", "région inconnue : « 99 »"),
        ("national", "84", "le rôle national n&#39;a pas de périmètre"),
        ("etablissement", "", "le rôle etablissement demande un périmètre"),
    ],
)  # fmt: skip
def test_an_unknown_or_unfit_scope_is_refused_with_its_name(site, role, scope, message):
    form = {"identifiant": "refuse.moi", "nom": "Refusé", "role": role, "perimetre": scope}
    answer = _post(site, "/espace/comptes", form)
    assert answer.status_code == 400, answer.text[:300]
    assert message.lower() in answer.text.lower()
    assert '<p class="error-message" role="alert" id="erreur-creation">' in answer.text
    assert 'value="refuse.moi"' in answer.text and 'value="Refusé"' in answer.text
    assert f'value="{scope}"' in answer.text
    assert f'<option value="{role}" selected>' in answer.text
    assert _account(site, "refuse.moi") is None
    [event] = _events(site, audit.ACCOUNT_ADD)
    assert event.outcome == audit.REFUSED and event.entity_id == "refuse.moi"
    assert event.details["raison"]


def test_a_malformed_login_or_an_existing_one_is_refused(site):
    bad = _post(site, "/espace/comptes", {"identifiant": "é t é", "role": "national"})
    assert bad.status_code == 400 and "Identifiant invalide" in bad.text
    twice = _post(site, "/espace/comptes", {"identifiant": "clinique.a", "role": "national"})
    assert twice.status_code == 400 and "existe déjà" in twice.text
    assert _account(site).role == "etablissement"


def test_disabling_closes_the_sessions_and_refuses_the_tokens(site, browser):
    assert _sign_in(browser, "clinique.a").status_code == 303
    assert browser.get("/espace.json").status_code == 200
    bearer = {"Authorization": f"Bearer {_token_of(site).secret}"}
    answer = _post(site, "/espace/comptes/clinique.a/desactivation")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/espace/comptes/clinique.a?fait=desactive"
    page = site.get(answer.headers["location"])
    assert re.search(r'<p class="status-message" role="status">Compte désactivé', page.text)
    assert browser.get("/espace.json").status_code == 401  # its cookie no longer works
    assert browser.get("/espace/compte", follow_redirects=False).status_code == 303
    assert browser.get("/espace.json", headers=bearer).status_code == 401
    assert _sign_in(browser, "clinique.a").status_code == 401
    assert _account(site).disabled
    enabled = _post(site, "/espace/comptes/clinique.a/activation")
    assert enabled.headers["location"] == "/espace/comptes/clinique.a?fait=reactive"
    assert _sign_in(browser, "clinique.a").status_code == 303
    [disabled] = _events(site, audit.ACCOUNT_DISABLE)
    assert disabled.outcome == audit.OK and disabled.details == {"sessions_fermees": 1}
    assert disabled.actor == ADMIN and disabled.entity_id == "clinique.a"
    assert [e.outcome for e in _events(site, audit.ACCOUNT_ENABLE)] == [audit.OK]


def test_an_administrator_cannot_lock_itself_out(site):
    for path, form, message in [
        ("desactivation", {}, "vous ne pouvez pas désactiver votre propre compte"),
        ("role", {"role": "national"}, "vous ne pouvez pas retirer votre propre rôle admin"),
        ("mot-de-passe", {}, "votre propre mot de passe se change sur la page Mon compte"),
    ]:
        answer = _post(site, f"/espace/comptes/{ADMIN}/{path}", form)
        assert answer.status_code == 400, path
        assert message[0].upper() + message[1:] in answer.text.replace("&#39;", "'"), path
    assert site.get("/espace.json").status_code == 200  # still signed in
    account = _account(site, ADMIN)
    assert account.role == "admin" and not account.disabled
    for action in (audit.ACCOUNT_DISABLE, audit.ACCOUNT_ROLE, audit.ACCOUNT_PASSWORD):
        [event] = _events(site, action)
        assert event.outcome == audit.REFUSED and "propre" in event.details["raison"]
    # Another administrator may.
    assert _post(site, "/espace/comptes/admin.b/desactivation").status_code == 303


def test_change_the_role_and_the_scope(site, browser):
    assert _sign_in(browser, "clinique.a").status_code == 303
    answer = _post(site, "/espace/comptes/clinique.a/role", {"role": "ars", "perimetre": "84"})
    assert answer.headers["location"] == "/espace/comptes/clinique.a?fait=role"
    assert "Rôle et périmètre changés" in site.get(answer.headers["location"]).text
    assert (_account(site).role, _account(site).scope) == ("ars", ("84",))
    assert browser.get("/espace.json").status_code == 401  # its sessions closed
    refused = _post(site, "/espace/comptes/clinique.a/role",
                     {"role": "etablissement", "perimetre": "999999999"})  # fmt: skip
    assert refused.status_code == 400 and "999999999" in refused.text
    assert 'id="erreur-role"' in refused.text and 'value="999999999"' in refused.text
    assert '<option value="etablissement" selected>' in refused.text
    assert _account(site).role == "ars"
    ok, no = _events(site, audit.ACCOUNT_ROLE)
    assert ok.details["avant"] == {"role": "etablissement", "perimetre": [HOSTILE_FINESS]}
    assert ok.details["role"] == "ars" and no.outcome == audit.REFUSED


def test_reset_a_password(site, browser):
    assert _sign_in(browser, "clinique.a").status_code == 303
    answer = _post(site, "/espace/comptes/clinique.a/mot-de-passe")
    assert answer.status_code == 201 and answer.headers["cache-control"] == "no-store"
    password = SECRET.search(answer.text).group(1)
    assert "Mot de passe réinitialisé" in answer.text
    assert browser.get("/espace.json").status_code == 401  # its sessions closed
    assert _sign_in(browser, "clinique.a").status_code == 401  # the old one no longer works
    assert _sign_in(browser, "clinique.a", password).status_code == 303
    [event] = _events(site, audit.ACCOUNT_PASSWORD)
    assert event.outcome == audit.OK and event.details == {"sessions_fermees": 1}
    assert password not in str(event)


def test_revoke_a_token_of_an_account(site, browser):
    issued = _token_of(site)
    others = _token_of(site, "equipe.nationale")
    page = site.get("/espace/comptes/clinique.a")
    assert f'aria-label="Révoquer le jeton n° {issued.token.id}"' in page.text
    assert issued.secret not in page.text
    url = f"/espace/comptes/clinique.a/jetons/{issued.token.id}/revocation"
    answer = _post(site, url)
    assert answer.headers["location"] == "/espace/comptes/clinique.a?fait=jeton-revoque"
    bearer = {"Authorization": f"Bearer {issued.secret}"}
    assert browser.get("/espace.json", headers=bearer).status_code == 401
    wrong = _post(site, f"/espace/comptes/clinique.a/jetons/{others.token.id}/revocation")
    assert wrong.status_code == 404  # another account's token, through this one's page
    bearer = {"Authorization": f"Bearer {others.secret}"}
    assert browser.get("/espace.json", headers=bearer).status_code == 200
    ok, no = _events(site, audit.TOKEN_REVOKE)
    assert (ok.outcome, ok.entity_id, ok.details) == (audit.OK, "clinique.a", {"jeton": 1})
    assert no.outcome == audit.REFUSED and "jeton inconnu" in no.details["raison"]


def test_an_unknown_account_answers_404_on_every_form(site):
    for url, form in FORMS.items():
        if url == "/espace/comptes":
            continue
        answer = _post(site, url.replace("clinique.a", "personne"), form)
        assert answer.status_code == 404, url


@pytest.mark.parametrize("csrf", [False, "pas le bon jeton"])
def test_a_form_without_its_csrf_token_is_refused(site, csrf):
    for url, form in FORMS.items():
        answer = _post(site, url, form, csrf=csrf)
        assert answer.status_code == 403, url
        assert "jeton de sécurité absent ou périmé" in answer.text
    assert _account(site, "nouveau.compte") is None and not _account(site).disabled
    for action in ACTIONS.values():
        [event] = _events(site, action)
        assert event.outcome == audit.REFUSED and "jeton de sécurité" in event.details["raison"]


@pytest.mark.parametrize("role", [None, *OTHERS])
def test_other_roles_are_refused_as_the_rule_says(site, browser, role):
    """Every page, twin and form: anonymous 401, national and establishment 403, with the
    rule's reason; nothing changed, and each form's refusal audited under its action."""
    principal = rule.ANONYMOUS
    if role is not None:
        login, scope = OTHERS[role]
        assert _sign_in(browser, login).status_code == 303
        principal = rule.Principal(role, tuple(scope), login)
    perimeter = site.app.state.store.prepared("perimeter")
    decision = rule.decide(principal, NATION, "accounts", perimeter)
    expected = 401 if role is None else decision.status
    assert not decision.allowed and expected in (401, 403)
    for path in PAGES:
        assert browser.get(path).status_code == expected, path
        twin = browser.get(f"{path}.json")
        assert twin.status_code == expected
        assert twin.json()["error"]["message"] == decision.reason
    for url, form in FORMS.items():
        answer = _post(browser, url, form, csrf=role is not None)
        assert answer.status_code == expected, url
        assert decision.reason in answer.text, url  # the error page says the rule's reason
    assert _account(site, "nouveau.compte") is None
    assert _account(site).role == "etablissement" and not _account(site).disabled
    for action in ACTIONS.values():
        [event] = _events(site, action)
        assert event.outcome == audit.REFUSED and event.details["raison"] == decision.reason
        assert event.actor == (None if role is None else OTHERS[role][0])


def test_an_api_token_cannot_manage_accounts(site, browser):
    bearer = {"Authorization": f"Bearer {_token_of(site, ADMIN).secret}"}
    twin = browser.get("/espace/comptes.json", headers=bearer)
    assert twin.status_code == 200 and twin.json()["csrf"] is None
    answer = browser.post(
        "/espace/comptes/clinique.a/desactivation", data={"csrf": "x"}, headers=bearer
    )
    assert answer.status_code == 403 and "session ouverte" in answer.text
    assert not _account(site).disabled
    [event] = _events(site, audit.ACCOUNT_DISABLE)
    assert event.outcome == audit.REFUSED and event.actor == ADMIN
