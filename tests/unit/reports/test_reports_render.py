"""The example national bilan rendered to HTML and PDF, checked as a reader would."""

import dataclasses
import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from reports_example import example_bilan

from hospiscope.reports import format as fr
from hospiscope.reports.model import Bilan, Figure, Section
from hospiscope.reports.render import (
    ExternalResourceRefused,
    html_to_pdf,
    render_html,
    write_bilan,
)

BILAN = example_bilan()
FIGURES = [f for s in BILAN.sections for f in s.figures]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("bilan")
    html_path, pdf_path = write_bilan(BILAN, out)
    return html_path, pdf_path


@pytest.fixture(scope="module")
def html(written):
    return written[0].read_text("utf-8")


@pytest.fixture(scope="module")
def page(html):
    parser = _Page()
    parser.feed(html)
    return parser


class _Page(HTMLParser):
    """Elements with their attributes, and the visible text outside charts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.tables: list[list[str]] = []  # child tags of each table, in order
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if self.tables and self.tables[-1] is not None and self._open_tables:
            self.tables[-1].append(tag)
        if tag == "table":
            self.tables.append([])
            self._open_tables = True
        if tag in ("svg", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("svg", "style"):
            self._skip -= 1
        if tag == "table":
            self._open_tables = False

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    _open_tables = False

    @property
    def visible(self) -> str:
        return re.sub(r"[ \t\r\n]+", " ", " ".join(self.text))  # keeps the French spaces


def test_document_is_french_and_structured(html, page):
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "fr"}) in page.elements
    assert sum(tag == "h1" for tag, _ in page.elements) == 1
    for label in (
        "À retenir",
        "Méthodes",
        "Provenance",
        "Hypothèse",
        "Intervalle de confiance",
        "Numérateur / dénominateur",
        "Évolution",
        "Campagne 2024",
        "France entière",
        "22 novembre 2026",
        "Sommaire",
    ):
        assert label in page.visible, label


def test_numbers_are_written_the_french_way(page):
    text = page.visible
    for expected in (
        "74,8/100",
        "79,5/100",
        "76,7/100",
        "+0,5\u202fpt",
        "+0,6\u202fpt",
        "\u22123\u202fpts",
        "79,0\u202f%",
        "[63,1\u202f; 68,9]",
        "1\u202f633\u00a0décisions",
        "«\u202fÉtablissements MCO en classe A ou B\u202f»",
    ):
        assert expected in text, expected
    for figure in FIGURES:
        if figure.value is not None and not float(figure.value).is_integer():
            assert str(figure.value) not in text, figure.value  # no "74.8"


def test_every_figure_shows_its_numerator_and_denominator(page):
    for figure in FIGURES:
        assert f"{fr.integer(figure.numerator)} / {fr.integer(figure.denominator)}" in page.visible


def test_changed_methods_are_marked(html):
    changed = [f for f in FIGURES if f.method_changed]
    assert changed
    assert html.count('<tr class="method-changed">') == len(changed)
    assert "méthode modifiée" in html
    assert "n'est pas une comparaison à méthode constante" in html


def test_tables_have_captions_and_header_scopes(page):
    # 3 result tables, 4 distribution tables, 1 funnel table, 1 criteria table
    assert len(page.tables) == 9
    for children in page.tables:
        first = next(tag for tag in children if tag != "colgroup")
        assert first == "caption"
    headers = [attrs for tag, attrs in page.elements if tag == "th"]
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)


def test_charts_are_inline_svg_with_a_text_alternative(html, page):
    svgs = [attrs for tag, attrs in page.elements if tag == "svg"]
    # 1 change chart (e-Satis), 4 distributions, 1 funnel plot
    assert len(svgs) == 6
    ids = {attrs["id"] for _, attrs in page.elements if "id" in attrs}
    for attrs in svgs:
        assert attrs["role"] == "img"
        for ref in attrs["aria-labelledby"].split():
            assert ref in ids
    assert html.count("<title id=") == 6 and html.count("<desc id=") == 6
    assert len(ids) == len([a for _, a in page.elements if "id" in a])  # ids are unique


def test_no_external_resource(html, page):
    for tag, attrs in page.elements:
        assert tag not in ("script", "link", "img", "iframe", "object"), tag
        for name, value in attrs.items():
            assert "http" not in (value or ""), (tag, name, value)
            if name == "href":
                assert value.startswith("#"), value
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert styles and not any(re.search(r"url\(|@import|@font-face", s) for s in styles)
    # A source URL may appear as text (provenance), never as a reference.
    assert "https://www.data.gouv.fr/" in page.visible


def test_text_from_the_data_is_escaped():
    hostile = dataclasses.replace(
        BILAN, title="Bilan <script>alert(1)</script>", provenance=("<img src=x>",)
    )
    html = render_html(hostile)
    assert "<script>" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;" in html


def test_pdf_has_pages_title_campaign_and_figures(written):
    reader = PdfReader(written[1])
    assert len(reader.pages) >= 6
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    assert BILAN.title in text
    assert "Campagne 2024" in text
    for expected in ("74,8/100", "79,5/100", "76,7/100", "39 644 000 / 530 000", "Page 3 sur"):
        assert expected in text, expected
    assert reader.metadata.title.startswith(BILAN.title)


def test_pdf_renderer_refuses_any_fetch(tmp_path):
    with pytest.raises(ExternalResourceRefused, match=r"example\.invalid"):
        html_to_pdf('<p>x</p><img src="http://example.invalid/logo.png">', tmp_path)


def test_a_sparse_bilan_still_renders(tmp_path):
    sparse = Bilan(
        title="Bilan régional",
        campaign=2025,
        previous_campaign=None,
        scope="Corse",
        generated_at=dt.datetime(2026, 1, 1, 9, 0),
        sections=(
            Section(
                title="Sans données",
                figures=(Figure("X", "Indicateur sans valeur", "%", None, None, None),),
            ),
        ),
        methods=(),
        provenance=(),
    )
    html_path, pdf_path = write_bilan(sparse, tmp_path)
    html = html_path.read_text("utf-8")
    assert "Indicateur sans valeur" in html and "Aucune note de méthode" in html
    assert "Valeur 2024" not in html  # no previous campaign column
    assert len(PdfReader(pdf_path).pages) >= 2
