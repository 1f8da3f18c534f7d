"""The private spaces in a real browser: an establishment's user signs in with the form (its
CSRF token, the session cookie), lands on its space, opens its private results page, and signs
out; every page passes axe. A wrong password first: the one French message. On the account
page, a password change (a wrong current one first) and an API token made then revoked."""

import re

import pytest
from playwright.sync_api import expect

from browser.conftest import screenshot, watched_page
from hospiscope.access import accounts
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.cli.demo_accounts import demo_scopes
from hospiscope.web.search_index import normalised

PASSWORD = "mot de passe du test navigateur"


@pytest.fixture(scope="module")
def account(browser_warehouse, examples) -> str:
    """An establishment account on the served warehouse's access database."""
    with AccessDatabase(access_path(browser_warehouse)) as db, db.transaction() as con:
        if accounts.find_account(con, "etab.navigateur") is None:
            accounts.add_account(
                con, "etab.navigateur", "etablissement", [examples["finess"]], PASSWORD, utc_now()
            )
    return "etab.navigateur"


def test_sign_in_open_own_results_then_sign_out(page, axe, account, examples):
    page.goto("/connexion")
    axe(page)
    page.get_by_label("Identifiant").fill(account)
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    axe(page)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))
    expect(page.locator("h1")).to_have_text("Mon espace")
    axe(page)
    page.locator("main a[href^='/espace/etablissements/']").first.click()
    expect(page).to_have_url(re.compile(rf"/espace/etablissements/{examples['finess']}$"))
    expect(page.get_by_text("Espace privé")).to_be_visible()
    axe(page)
    page.goto("/espace")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"/espace/etablissements/{examples['finess']}")
    expect(page.locator(".error-message")).to_contain_text("Connexion requise")


def _signed_in(page, warehouse, login: str, role: str, scope=()) -> None:
    """Make the account `login` (role, scope: empty by default) if missing, and sign in with
    the form."""
    with AccessDatabase(access_path(warehouse)) as db, db.transaction() as con:
        if accounts.find_account(con, login) is None:
            accounts.add_account(con, login, role, list(scope), PASSWORD, utc_now())
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_the_national_team_sees_campaigns_and_the_audit_trail(page, axe, browser_warehouse):
    _signed_in(page, browser_warehouse, "national.navigateur", "national")
    page.get_by_role("link", name="Campagnes, importations et calculs").click()
    expect(page.locator("h1")).to_have_text("Espace national")
    expect(page.locator("table.checks")).to_contain_text("Contestations sans réponse")
    expect(page.locator("table", has_text="Campagnes et familles")).to_contain_text("publiée")
    axe(page)
    page.get_by_role("link", name="Journal d'audit").first.click()
    expect(page.locator("h1")).to_have_text("Journal d'audit")
    expect(page.locator("table")).to_contain_text("national.navigateur")
    axe(page)


def test_the_accounts_administrator_lists_the_accounts(page, axe, browser_warehouse):
    _signed_in(page, browser_warehouse, "admin.navigateur", "admin")
    page.get_by_role("link", name="Comptes des espaces privés").click()
    expect(page.locator("h1")).to_have_text("Comptes")
    expect(page.locator("table")).to_contain_text("admin.navigateur")
    axe(page)


def test_the_accounts_administrator_creates_then_disables_an_account(
    page, axe, browser, live_portal, browser_warehouse, examples, request
):
    """An account made on the admin page with its one-time password (shown once; it signs in
    in another browser), then disabled: that browser's session ends and the password is
    refused with the French sentence."""
    _signed_in(page, browser_warehouse, "admin.comptes", "admin")
    page.get_by_role("link", name="Comptes des espaces privés").click()
    axe(page)
    form = page.locator("form.admin")
    form.get_by_label("Identifiant").fill("clinique.creee")
    form.get_by_label("Nom affiché (facultatif)").fill("Clinique créée au navigateur")
    form.get_by_label("Rôle").select_option("etablissement")
    form.get_by_label("Périmètre").fill("999999999")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("alert")).to_contain_text("FINESS inconnu(s)")
    expect(page.get_by_role("alert")).to_contain_text("999999999")
    expect(form.get_by_label("Identifiant")).to_have_value("clinique.creee")
    axe(page)
    form.get_by_label("Périmètre").fill(examples["finess"])
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.locator("h1")).to_have_text("Compte clinique.creee")
    secret = page.locator(".secret code")
    expect(secret).to_have_text(re.compile(r"^([a-z2-9]{5}-){3}[a-z2-9]{5}$"))
    password = secret.inner_text()
    axe(page)
    screenshot(page, request.config, "comptes-mot-de-passe-a-usage-unique")
    other, _ = watched_page(browser, live_portal)
    try:
        other.goto("/connexion")
        other.get_by_label("Identifiant").fill("clinique.creee")
        other.get_by_label("Mot de passe").fill(password)
        other.get_by_role("button", name="Se connecter").click()
        expect(other).to_have_url(re.compile(r"/espace$"))
        page.get_by_role("button", name="Désactiver le compte").click()
        expect(page.get_by_role("status")).to_contain_text("Compte désactivé")
        expect(page.locator(".secret")).to_have_count(0)  # shown once: not after a redirect
        expect(page.locator("dl.account")).to_contain_text("désactivé")
        axe(page)
        screenshot(page, request.config, "comptes-compte-desactive")
        other.goto("/espace")
        expect(other).to_have_url(re.compile(r"/connexion$"))  # its session is closed
        other.get_by_label("Identifiant").fill("clinique.creee")
        other.get_by_label("Mot de passe").fill(password)
        other.get_by_role("button", name="Se connecter").click()
        expect(other.get_by_role("alert")).to_contain_text("Ce compte est désactivé")
    finally:
        other.context.close()
    page.get_by_role("link", name="Comptes", exact=True).click()
    expect(page.locator("table")).to_contain_text("clinique.creee")
    axe(page)


def test_a_ght_user_opens_sorts_and_filters_its_table(page, axe, browser_warehouse, request):
    """The GHT of the demo's GHT account (cli/demo_accounts.py): its table from /espace, sorted
    by commune then by an indicator's class, filtered by name, and an establishment opened."""
    ght = demo_scopes(browser_warehouse)["ght"][0]
    _signed_in(page, browser_warehouse, "ght.navigateur", "ght", [ght])
    page.locator(f"main a[href='/espace/ght/{ght}']").click()
    expect(page).to_have_url(re.compile(rf"/espace/ght/{ght}$"))
    expect(page.get_by_text("pas un classement")).to_be_visible()
    table = page.locator("table.territoire")
    expect(table.locator("th[aria-sort='ascending']")).to_contain_text("Établissement")
    axe(page)
    table.get_by_role("link", name=re.compile("^Commune")).click()
    expect(table.locator("th[aria-sort='ascending']")).to_contain_text("Commune")
    cities = [c for c in table.locator("tbody tr td:nth-child(2)").all_inner_texts() if c != "—"]
    assert cities == sorted(cities, key=normalised)
    page.get_by_label("Famille d'indicateurs").select_option("processus")
    page.get_by_role("button", name="Afficher").click()
    table.get_by_role("link", name=re.compile("^Trier par classe")).first.click()
    expect(page.locator("p.count")).to_contain_text("classe de l'indicateur")
    expect(table.locator("th[aria-sort='ascending']")).to_have_count(1)
    axe(page)
    screenshot(page, request.config, "ght-table-sorted-by-class")
    first = table.locator("tbody th[scope='row'] a").first
    name = first.inner_text()
    page.get_by_label("Nom ou commune").fill(name.split()[-1])
    page.get_by_role("button", name="Afficher").click()
    expect(table.locator("tbody th[scope='row'] a").first).to_be_visible()
    table.locator("tbody th[scope='row'] a").first.click()
    expect(page).to_have_url(re.compile(r"/espace/etablissements/"))
    expect(page.get_by_text("Espace privé")).to_be_visible()


def test_the_national_team_opens_a_region_and_its_ghts(page, axe, browser_warehouse):
    _signed_in(page, browser_warehouse, "national.regions", "national")
    page.get_by_role("link", name=re.compile("Régions et GHT")).click()
    expect(page.locator("h1")).to_have_text("Régions et GHT")
    axe(page)
    region = demo_scopes(browser_warehouse)["ars"][0]
    page.locator(f"main a[href='/espace/regions/{region}']").click()
    expect(page.locator("h2#ght-region")).to_be_visible()
    axe(page)


NEW_PASSWORD = "nouvelle phrase de passe du navigateur"


def test_my_account_change_the_password_and_make_a_token(page, axe, browser_warehouse, request):
    _signed_in(page, browser_warehouse, "compte.navigateur", "admin")
    page.get_by_role("link", name="Mon compte").click()
    expect(page.locator("h1")).to_have_text("Mon compte")
    expect(page.locator("dl.account")).to_contain_text("compte.navigateur")
    axe(page)
    current, new = (
        page.get_by_label("Mot de passe actuel"),
        page.get_by_label("Nouveau mot de passe", exact=True),
    )
    current.fill("pas le bon mot de passe")
    new.fill(NEW_PASSWORD)
    page.get_by_label("Nouveau mot de passe (confirmation)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.get_by_role("alert")).to_contain_text("Mot de passe actuel incorrect")
    axe(page)
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nouveau mot de passe (confirmation)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(page).to_have_url(re.compile(r"/espace/compte\?fait=mot-de-passe$"))
    expect(page.get_by_role("status")).to_contain_text("Mot de passe changé.")
    axe(page)
    screenshot(page, request.config, "mon-compte-mot-de-passe-change")
    page.get_by_label("Libellé (à quoi il sert)").fill("tableau de bord régional")
    page.get_by_label("Validité, en jours (de 1 à 366)").fill("30")
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.locator(".secret code")).to_have_text(re.compile(r"^hsp_[A-Za-z0-9_-]{40,}$"))
    expect(page.locator("table").last).to_contain_text("tableau de bord régional")
    axe(page)
    screenshot(page, request.config, "mon-compte-jeton-cree")
    page.get_by_role("button", name=re.compile(r"^Révoquer le jeton n° ")).click()
    expect(page.get_by_role("status")).to_contain_text("Jeton révoqué")
    expect(page.locator(".secret")).to_have_count(0)  # shown once: not after a reload
    page.goto("/espace")
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill("compte.navigateur")
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))
