"""docs/catalogue/ is generated from the definition files (reports/catalogue_docs.py): one
page per indicator with its metadata, assumptions, review record and the SQL that runs, and
the lever catalogue (leviers.md). This test fails when a page is stale: regenerate with
`python -m hospiscope.reports.catalogue_docs`."""

from hospiscope.catalogue import get_meta
from hospiscope.catalogue.levers.docs import PAGE as LEVERS_PAGE
from hospiscope.catalogue.levers.docs import render_levers
from hospiscope.catalogue.loader import DEFINITIONS
from hospiscope.catalogue.pages import NOT_CHECKED, indicator_page, render_markdown
from hospiscope.reports import catalogue_docs


def test_catalogue_pages_are_current():
    stale = catalogue_docs.stale()
    assert not stale, f"stale pages {stale}: run `python -m hospiscope.reports.catalogue_docs`"


def test_a_page_says_who_checked_it_and_what():
    meta = get_meta("AUDIT_HAD_DOSSIER")
    page = indicator_page(meta, DEFINITIONS / "audit_had_dossier.py")
    assert page["review"]["status"] == NOT_CHECKED
    text = render_markdown(page)
    assert "**Non relu par un second relecteur.**" in text
    assert all(item in text for item in meta.review.checked + meta.review.open_questions)
    assert all(assumption in text for assumption in meta.assumptions)
    assert "src/hospiscope/catalogue/definitions/audit_had_dossier.py" in text


def test_a_checked_definition_names_its_second_reader():
    meta = get_meta("REG_ETAB")
    review = meta.review.model_copy(update={"checked_by": "A. Relectrice"})
    page = indicator_page(meta.model_copy(update={"review": review}), DEFINITIONS / "x.py")
    assert page["review"]["status"] == "relu par A. Relectrice"
    assert NOT_CHECKED not in render_markdown(page)


def test_the_lever_catalogue_is_one_of_the_generated_pages():
    """docs/catalogue/leviers.md is written with the indicator pages (and kept current by the
    first test): the generator would otherwise delete it as a left-over page."""
    page = catalogue_docs.DOCS / LEVERS_PAGE
    assert page.read_text("utf-8") == render_levers()
    assert f"]({LEVERS_PAGE})" in (catalogue_docs.DOCS / "README.md").read_text("utf-8")
