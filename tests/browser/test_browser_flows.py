"""What a visitor does, in a real browser: type-ahead suggestions (the combobox of portal.js),
a search, a filter, an establishment page."""

import re

from playwright.sync_api import expect


def test_suggestions_appear_and_the_keyboard_opens_one(page, axe):
    page.goto("/")
    box = page.locator("#q")
    box.fill("bourg")  # one input event: one request (keystrokes would race their answers)
    options = page.locator("#suggestions [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    axe(page)  # the open list too
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-1")
    expect(options.first).to_have_attribute("aria-selected", "true")
    name = options.first.locator("strong").inner_text()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/etablissements/[0-9AB]{9}$"))
    expect(page.locator("h1")).to_have_text(name)


def test_escape_closes_the_suggestions(page):
    page.goto("/")
    page.locator("#q").fill("bourg")
    expect(page.locator("#suggestions")).to_be_visible()
    page.locator("#q").press("Escape")
    expect(page.locator("#suggestions")).to_be_hidden()
    expect(page.locator("#q")).to_have_attribute("aria-expanded", "false")


def test_a_search_from_the_home_page(page):
    page.goto("/")
    page.locator("#q").fill("bourg en bresse")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/recherche\?q=bourg\+en\+bresse$"))
    expect(page.locator("p.count")).to_contain_text("pour « bourg en bresse »")
    expect(page.locator(".cards .card").first).to_contain_text("BOURG EN BRESSE")


def test_a_department_filter_then_an_establishment_page(page):
    page.goto("/recherche")
    page.get_by_label("Département").select_option("01")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"departement=01"))
    expect(page.get_by_label("Département")).to_have_value("01")
    cards = page.locator(".cards .card")
    expect(cards.first).to_be_visible()
    for text in cards.all_inner_texts():
        assert "(Ain)" in text
    link = cards.first.locator("h3 a")
    name = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/etablissements/01[0-9]{7}$"))
    expect(page.locator("h1")).to_have_text(name)
    expect(page.get_by_role("heading", name="Carte d'identité")).to_be_visible()


def test_compare_three_from_the_search_then_export(page):
    page.goto("/recherche?departement=01")
    boxes = page.get_by_role("checkbox")
    names = []
    for index in range(3):
        boxes.nth(index).check()
        names.append(page.locator(".cards .card h3 a").nth(index).inner_text())
    page.get_by_role("button", name=re.compile("Comparer la sélection")).click()
    expect(page).to_have_url(re.compile(r"/comparer\?finess=.+&finess=.+&finess=.+"))
    headers = page.locator("table.compare thead th")
    expect(headers).to_have_count(4)
    assert [headers.nth(i).inner_text() for i in range(1, 4)] == names
    page.goto("/recherche?departement=01")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV pour Excel").click()
    assert download.value.suggested_filename == "etablissements-excel.csv"
    assert download.value.path().read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_click_on_the_map_lists_the_department(page):
    page.goto("/carte?niveau=departement")
    page.locator('a.carte-lien[href="/recherche?departement=69"]').first.click()
    expect(page).to_have_url(re.compile(r"/recherche\?departement=69$"))
    expect(page.get_by_label("Département")).to_have_value("69")


def test_a_new_visitor_near_a_commune_opens_one_compares_three_and_exports(page):
    """The issue's journey, in French and without documentation: near Bourg-en-Bresse, open an
    establishment, come back, compare three, download the comparison."""
    page.goto("/recherche")
    page.get_by_label("Près d'une commune").fill("Bourg-en-Bresse")
    page.get_by_role("button", name="Chercher autour").click()
    expect(page.locator(".near-note")).to_contain_text("Bourg-en-Bresse")
    expect(page.locator(".cards .card").first).to_contain_text("km")
    first = page.locator(".cards .card h3 a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)
    page.go_back()
    for index in range(3):
        page.get_by_role("checkbox").nth(index).check()
    page.get_by_role("button", name=re.compile("Comparer la sélection")).click()
    expect(page.locator("table.compare thead th")).to_have_count(4)
    with page.expect_download() as download:
        page.locator(".exports").get_by_role("link", name="Excel", exact=True).click()
    assert download.value.suggested_filename == "comparaison.xlsx"
    assert download.value.path().read_bytes()[:2] == b"PK"
