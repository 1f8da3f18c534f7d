"""Results that predate later imports say so (results.staleness), in the summary, the results
answer and the bilan; the summary credits the computations its figures come from."""


from hospiscope import pipeline
from hospiscope.reports.bilan import build_bilan
from hospiscope.results.answer import answer
from hospiscope.results.compute import compute_indicators
from hospiscope.results.summary import national_summary

from support import FIXTURES

PUBLISHED = FIXTURES / "published" / "resultats-esatis48h-mco-open-data-2019.csv"


def test_fresh_after_the_demo(demo_copy):
    summary = national_summary(demo_copy.con)
    assert summary["fraicheur"]["perime"] is False
    assert answer(demo_copy.con, indicator="ESATIS48H_RECO").freshness.stale is False


def test_an_import_after_the_computation_is_said(demo_copy):
    outcome = pipeline.import_published_results(demo_copy, PUBLISHED)
    summary = national_summary(demo_copy.con)
    freshness = summary["fraicheur"]
    assert freshness["perime"] is True
    assert [r["lot"] for r in freshness["importations_posterieures"]] == [outcome.run_id]
    assert "hospiscope compute" in freshness["message"]
    found = answer(demo_copy.con, indicator="ESATIS48H_RECO", campaign=2024)
    assert any("précèdent 1 importation" in line for line in found.notices())
    assert any("hospiscope compute" in n for n in build_bilan(demo_copy.con, 2024).notices)
    compute_indicators(demo_copy, ["ESATIS48H_RECO"])
    assert answer(demo_copy.con, indicator="ESATIS48H_RECO").freshness.stale is False


def test_a_ght_composition_import_leaves_results_fresh(demo_copy):
    """No indicator reads the GHT composition: importing one makes nothing stale."""
    outcome = pipeline.import_ght(demo_copy, FIXTURES / "ght" / "ght-composition.csv")
    assert outcome.run_id is not None
    assert national_summary(demo_copy.con)["fraicheur"]["perime"] is False
    assert answer(demo_copy.con, indicator="ESATIS48H_RECO").freshness.stale is False


def test_summary_credits_the_computations_of_its_figures(demo_copy):
    before = [c["calcul"] for c in national_summary(demo_copy.con)["provenance"]["calculs"]]
    assert before == [1]
    compute_indicators(demo_copy, ["REG_ETAB"])  # not a figure of the summary
    after = national_summary(demo_copy.con)
    assert [c["calcul"] for c in after["provenance"]["calculs"]] == [1]
    compute_indicators(demo_copy, ["ESATIS48H_RECO"])
    again = national_summary(demo_copy.con)
    assert [c["calcul"] for c in again["provenance"]["calculs"]] == [1, 3]
    reco = [e for d in again["domaines"] for e in d["indicateurs"]
            if e["indicateur"] == "ESATIS48H_RECO"]
    assert {e["calcul"] for e in reco} == {3}


def test_summary_right_after_a_registry_import(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "gisco-extrait.csv")
    summary = national_summary(warehouse.con)
    registry = summary["registre"]
    assert registry["etablissements"] > 0 and registry["par_region"]
    assert sum(r["etablissements"] for r in registry["par_type"]) == registry["etablissements"]
    assert summary["domaines"] == [] and "hospiscope compute" in summary["message"]
