"""The bilan, generated from stored results: HTML and PDF, every figure with its numerator
and denominator; on published results it reproduces the file's class counts exactly."""

import csv
import io
import math
from collections import Counter

import pypdf
import pytest

from hospiscope import pipeline
from hospiscope.reports.bilan import build_bilan, generate_bilan
from hospiscope.warehouse import Warehouse

from support import FIXTURES

PUBLISHED = FIXTURES / "published" / "resultats-esatis48h-mco-open-data-2019.csv"


@pytest.fixture(scope="module")
def demo_bilan(demo_warehouse):
    with Warehouse(demo_warehouse, read_only=True) as wh:
        return build_bilan(wh.con, 2024)


def test_sections_and_figures(demo_bilan):
    titles = [s.title for s in demo_bilan.sections]
    assert titles[0] == "Expérience et satisfaction des patients (e-Satis)"
    assert any("prothèse" in t for t in titles)
    assert titles[-1] == "Certification des établissements"
    figures = [f for s in demo_bilan.sections for f in s.figures]
    counts = {"CERT_DECISIONS_ANNEE"}  # a count: no denominator
    assert figures and all(f.denominator is not None for f in figures if f.indicator not in counts)
    assert {"AUDIT_HAD_DOSSIER", "ICSHA3", "VACCIN_GRIPPE", "CERT_PART_CERTIFIES"} <= {
        f.indicator for f in figures
    }
    mco = next(f for f in figures if f.indicator == "ESATIS48H_SCORE")
    assert mco.previous_value is not None
    assert mco.change_points == pytest.approx(mco.value - mco.previous_value)
    assert mco.ci_low < mco.value < mco.ci_high


def test_distributions_count_every_establishment_once(demo_bilan):
    distribution = next(
        d
        for s in demo_bilan.sections
        for d in s.distributions
        if d.indicator == "ESATIS48H_SCORE" and d.group_title == "Par région"
    )
    assert [c.code for c in distribution.categories][:4] == ["A", "B", "C", "D"]
    assert sum(c.count for c in distribution.categories) == distribution.total
    assert sum(sum(counts) for counts in distribution.by_group.values()) == distribution.total
    assert distribution.note.startswith("Grille de classes")


def test_decisions_levels_and_criteria(demo_bilan):
    by_indicator = {d.indicator: d for s in demo_bilan.sections for d in s.distributions}
    decisions = [c.code for c in by_indicator["CERT_DECISION"].categories]
    assert decisions[:4] == [
        "certifie_mention",
        "certifie",
        "certifie_sous_conditions",
        "non_certifie",
    ]
    levels = by_indicator["VACCIN_GRIPPE"].categories
    assert len([c for c in levels if c.code not in ("DI", "NC")]) == 5
    certification = demo_bilan.sections[-1]
    (criteria,) = certification.tables
    rates = [float(row[1].split()[0].replace(",", ".")) for row in criteria.rows]
    assert len(rates) == 16 and rates == sorted(rates, reverse=True)


def test_funnels_have_points_and_limits(demo_bilan):
    funnels = [f for s in demo_bilan.sections for f in s.funnels]
    assert "ISO_PTH" in {f.indicator for f in funnels}  # PTG may have < 10 units at 2 %
    for funnel in funnels:
        assert len(funnel.points) >= 10
        assert len(funnel.limits["precision"]) == len(funnel.limits["upper_998"])


def test_html_and_pdf(demo_warehouse, tmp_path):
    with Warehouse(demo_warehouse, read_only=True) as wh:
        html, pdf = generate_bilan(wh.con, 2024, tmp_path, region="84")
    text = html.read_text("utf-8")
    assert 'lang="fr"' in text and "Auvergne-Rhône-Alpes" in text
    pages = pypdf.PdfReader(pdf).pages
    assert len(pages) > 5
    first = pages[0].extract_text()
    assert "2024" in first and "Auvergne" in first


def test_changes_carry_their_interval_and_significance(demo_bilan, demo_warehouse, tmp_path):
    figures = {f.indicator: f for s in demo_bilan.sections for f in s.figures}
    score = figures["ESATIS48H_SCORE"]
    assert score.change_ci_low < score.change_points < score.change_ci_high
    # Normal CIs on both campaigns: MOVER is the sqrt(se1² + se2²) interval.
    half = lambda low, high: (high - low) / 2  # noqa: E731
    with Warehouse(demo_warehouse, read_only=True) as wh:
        before = wh.con.execute(
            "SELECT ci_low, ci_high FROM results WHERE indicator_code = 'ESATIS48H_SCORE' "
            "AND entity_kind = 'national' AND period = '2023'"
        ).fetchall()[0]
        html, _ = generate_bilan(wh.con, 2024, tmp_path)
    expected = math.hypot(half(score.ci_low, score.ci_high), half(*before))
    assert half(score.change_ci_low, score.change_ci_high) == pytest.approx(expected)
    assert figures["ICSHA3"].change_ci_low is None  # no CI: no test
    text = html.read_text("utf-8")
    assert "Évolutions entre campagnes." in text and "MOVER (Newcombe 1998" in text
    assert "évolution significative" in text or "évolution non significative" in text


def test_published_results_reproduce_the_class_counts(warehouse):
    pipeline.import_registry(warehouse, pipeline.bundled_registry())
    pipeline.import_published_results(warehouse, PUBLISHED)
    bilan = build_bilan(warehouse.con, 2019, origin="publie")
    distribution = next(
        d
        for s in bilan.sections
        for d in s.distributions
        if d.indicator == "ESATIS48H_SCORE" and d.group_title == "Par région"
    )
    counted = {c.code: c.count for c in distribution.categories if c.count}
    text = PUBLISHED.read_bytes().decode("cp1252")
    expected = Counter(
        row["classement"] for row in csv.DictReader(io.StringIO(text), delimiter=";")
    )
    assert counted == dict(expected)
    figure = next(f for s in bilan.sections for f in s.figures if f.indicator == "ESATIS48H_SCORE")
    assert figure.value is not None and "pondérée" in bilan.sections[0].text


def test_every_establishment_of_a_published_file_is_counted(warehouse):
    """The army hospital (in the etalab extract) is counted under its type and region; the
    establishment absent from every registry under "absent du registre FINESS importé"."""
    pipeline.import_registry(warehouse, pipeline.bundled_registry())
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    pipeline.import_published_results(warehouse, PUBLISHED)
    bilan = build_bilan(warehouse.con, 2019)
    rows = len(PUBLISHED.read_bytes().decode("cp1252").splitlines()) - 1
    found = {
        d.group_title: d
        for s in bilan.sections
        for d in s.distributions
        if d.indicator == "ESATIS48H_SCORE"
    }
    for title in ("Par type d'établissement", "Par région"):
        distribution = found[title]
        assert distribution.total == rows == 42
        assert sum(sum(counts) for counts in distribution.by_group.values()) == rows
        assert sum(distribution.by_group["absent du registre FINESS importé"]) == 1
    assert sum(found["Par type d'établissement"].by_group["Hôpital des armées"]) == 1


def test_regional_bilan_of_published_results_weights_the_region(warehouse):
    """Published files carry no regional value: a regional bilan weights its region's
    establishments, shows the national mean beside it, and says that the establishment absent
    from the registry (no region) is counted only in the France entière bilan."""
    pipeline.import_registry(warehouse, pipeline.bundled_registry())
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    pipeline.import_published_results(warehouse, PUBLISHED)
    rows = warehouse.con.execute("""
        SELECT e.region_code, r.value, r.denominator FROM results r
        JOIN establishments e ON e.finess_et = r.entity_id
        WHERE r.indicator_code = 'ESATIS48H_SCORE' AND r.value IS NOT NULL
    """).fetchall()
    region = Counter(code for code, _, _ in rows).most_common(1)[0][0]
    mine = [(v, n) for code, v, n in rows if code == region]
    expected = sum(v * n for v, n in mine) / sum(n for _, n in mine)
    bilan = build_bilan(warehouse.con, 2019, region=region)
    figure = next(f for s in bilan.sections for f in s.figures if f.indicator == "ESATIS48H_SCORE")
    assert figure.value == pytest.approx(expected)
    national = build_bilan(warehouse.con, 2019)
    headline = next(
        f for s in national.sections for f in s.figures if f.indicator == "ESATIS48H_SCORE"
    )
    assert figure.national_value == pytest.approx(headline.value) != pytest.approx(expected)
    assert "moyenne des établissements de la région" in bilan.sections[0].text
    assert any("540026895" in n and "bilan France entière" in n for n in bilan.notices)
    assert not any("540026895" in n for n in national.notices)


def test_unknown_campaign(demo_warehouse):
    with (
        Warehouse(demo_warehouse, read_only=True) as wh,
        pytest.raises(ValueError, match="aucun résultat pour la campagne 2031"),
    ):
        build_bilan(wh.con, 2031)
