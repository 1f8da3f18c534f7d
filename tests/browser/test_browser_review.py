"""The review in a real browser, end to end: the patient-experience campaign of the latest year
is put back in review; the public page does not show it; the establishment's user sees it in
its space and contests one result; the national user answers the contest and publishes; the
public page then shows the campaign. Every page passes axe. The campaign ends published, as
the other browser tests found it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser.conftest import screenshot, watched_page
from hospiscope.access import accounts
from hospiscope.access.clock import utc_now
from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.access.review import IN_REVIEW, WITHDRAWN, transition

PASSWORD = "mot de passe de la revue navigateur"
FAMILY = "experience_patient"


@pytest.fixture
def in_review(browser_warehouse, examples) -> int:
    """The latest campaign's patient experience withdrawn and reopened for review; accounts of
    the establishment and of the national team."""
    path = access_path(browser_warehouse)
    with AccessDatabase(path) as db, db.transaction() as con:
        campaign = con.execute(
            "SELECT max(campaign) FROM review_states WHERE family = ?", [FAMILY]
        ).fetchone()[0]
        transition(con, campaign, FAMILY, WITHDRAWN, actor="test", reason="revue du test")
        transition(con, campaign, FAMILY, IN_REVIEW, actor="test")
        for login, role, scope in (("revue.etab", "etablissement", [examples["finess"]]),
                                   ("revue.national", "national", [])):  # fmt: skip
            if accounts.find_account(con, login) is None:
                accounts.add_account(con, login, role, scope, PASSWORD, utc_now())
    return campaign


def _sign_in(page, login: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))


def _public_campaigns(page, finess: str) -> set[str]:
    """The campaigns of the patient-experience rows on the public page."""
    page.goto(f"/etablissements/{finess}")
    table = page.locator("table.results", has_text="Expérience des patients")
    texts = table.locator("tbody th .sub").all_inner_texts() if table.count() else []
    return {match for text in texts for match in re.findall(r"campagne (\d{4})", text)}


def test_contest_answer_publish_and_the_public_page_follows(
    page, axe, browser, live_portal, examples, in_review, request
):
    finess, campaign = examples["finess"], str(in_review)
    page.wait_for_timeout(2_100)  # the store reads the review states every 2 s
    assert campaign not in _public_campaigns(page, finess)
    expect(page.locator(".notices.publication")).to_contain_text(f"Campagne {campaign}")
    axe(page)

    own, _ = watched_page(browser, live_portal)
    _sign_in(own, "revue.etab")
    own.goto(f"/espace/etablissements/{finess}")
    expect(own.locator(".badge.unpublished").first).to_have_text("campagne en revue, non publiée")
    form = own.locator("form.contest").first
    form.get_by_label("Indicateur").select_option(index=0)
    form.get_by_label("Motif (obligatoire)").fill("Le nombre de réponses ne correspond pas.")
    form.get_by_role("button", name="Contester").click()
    expect(own.get_by_role("status")).to_have_text("Contestation enregistrée.")
    expect(own.locator("table.contests")).to_contain_text("en attente")
    axe(own)
    screenshot(own, request.config, "revue-etablissement-contestation")
    own.context.close()

    national, _ = watched_page(browser, live_portal)
    _sign_in(national, "revue.national")
    national.get_by_role("link", name="Revue et publication des campagnes").click()
    expect(national.locator("h1")).to_have_text("Revue et publication")
    axe(national)
    answer = national.locator("form", has_text="Répondre à la contestation").first
    answer.get_by_label("Rejeter").check()
    answer.get_by_label("Réponse écrite (obligatoire)").fill("Vérifié : réponses complètes.")
    answer.get_by_role("button", name="Envoyer la réponse").click()
    expect(national.get_by_role("status")).to_have_text("Réponse enregistrée.")
    national.get_by_role("button", name=re.compile(rf"^Publier : {campaign}, expérience")).click()
    expect(national.get_by_role("status")).to_have_text("État de la campagne changé.")
    axe(national)
    screenshot(national, request.config, "revue-nationale-publiee")
    national.context.close()

    assert campaign in _public_campaigns(page, finess)
    expect(page.locator(".notices.publication")).to_have_count(0)
