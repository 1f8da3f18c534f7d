"""One rule for which results a reader shows (results.selection): computed results by default,
published ones where an indicator and campaign has no computed result, the explicit choice
with --source; every answer says which source it shows and that the other exists."""

import pytest

from hospiscope import pipeline
from hospiscope.reports.bilan import build_bilan
from hospiscope.results.answer import answer
from hospiscope.results.selection import UnknownSource
from hospiscope.results.summary import national_summary

from support import FIXTURES

PUBLISHED = FIXTURES / "published" / "resultats-esatis48h-mco-open-data-2019.csv"
REGISTRY = FIXTURES / "finess" / "gisco-extrait.csv"


@pytest.fixture
def published_only(warehouse):
    pipeline.import_registry(warehouse, REGISTRY)
    pipeline.import_published_results(warehouse, PUBLISHED)
    return warehouse


def test_published_only_shown_without_options(published_only):
    found = answer(published_only.con, campaign=2019)
    assert len(found.frame) and set(found.frame["origin"]) == {"publie"}
    assert found.empty_reason is None
    assert "publiés" in found.source.sentence()
    summary = national_summary(published_only.con)
    rates = [e for d in summary["domaines"] for e in d["indicateurs"]]
    assert rates and {e["origine"] for e in rates} == {"publie"}
    assert all(e["hypotheses"] == [] for e in rates)  # HAS's method, not our assumptions
    assert "publiés" in summary["source"]["note"]
    absent = summary["registre"]["absents_du_registre"]
    assert "540026895" in absent["finess"]  # in the file, not in the registry: counted
    assert absent["etablissements"] == len(absent["finess"])


def test_explicit_source_that_has_nothing_says_what_exists(published_only):
    found = answer(published_only.con, source="calcul", campaign=2019)
    assert found.frame.empty
    assert "--source publie" in found.empty_reason
    with pytest.raises(UnknownSource, match="calcul, publie, tout"):
        answer(published_only.con, source="foo")


def test_bilan_of_published_results_without_source_option(published_only):
    bilan = build_bilan(published_only.con, 2019)
    assert bilan.sections
    assert any("publiés" in notice for notice in bilan.notices)
    assert any("publiés par la HAS" in m.source for m in bilan.methods)


def test_nothing_stored_says_what_to_run(warehouse):
    pipeline.import_registry(warehouse, REGISTRY)
    found = answer(warehouse.con)
    assert found.frame.empty and "hospiscope compute" in found.empty_reason
    with pytest.raises(ValueError, match="hospiscope compute"):
        build_bilan(warehouse.con, 2024)


def test_computed_first_published_where_nothing_is_computed(demo_copy):
    pipeline.import_published_results(demo_copy, PUBLISHED)  # campaign 2019
    found = answer(demo_copy.con, indicator="ESATIS48H_SCORE", entity_kind="etablissement")
    origins = found.frame.groupby("period")["origin"].agg(set).to_dict()
    assert origins == {"2019": {"publie"}, "2023": {"calcul"}, "2024": {"calcul"}}
    assert "ESATIS48H_SCORE 2019" in found.source.sentence()
    everything = answer(demo_copy.con, source="tout", indicator="ESATIS48H_SCORE")
    assert set(everything.frame["origin"]) == {"calcul", "publie"}
    computed = answer(demo_copy.con, source="calcul", indicator="ESATIS48H_SCORE")
    assert set(computed.frame["origin"]) == {"calcul"}
    assert "--source publie" in computed.source.sentence()


def test_published_never_mixed_with_computed_for_one_campaign(demo_copy):
    # The same file declared as campaign 2024, where computed results exist.
    pipeline.import_published_results(demo_copy, PUBLISHED, campaign=2024)
    found = answer(demo_copy.con, indicator="ESATIS48H_SCORE", campaign=2024)
    assert set(found.frame["origin"]) == {"calcul"}
    assert "--source publie" in found.source.sentence()
