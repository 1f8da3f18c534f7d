"""The BQSS key mapping of the catalogue: consistent with the catalogue, and documented (the
key table of docs/formats/bqss-cles.md is generated from it and must be up to date)."""

import pytest

from hospiscope.catalogue import bqss
from hospiscope.catalogue.registry import catalogue

from support import ROOT


def test_every_mapped_key_names_an_indicator_of_the_catalogue():
    mapping = bqss.load_mapping()
    assert {k.indicator for k in mapping.keys.values()} <= set(catalogue())
    assert mapping.keys["score_all_rea_ajust_dp"].indicator == "ESATIS48H_SCORE"
    assert mapping.keys["score_all_ajust_dp_ca"].indicator == "ESATISCA_SCORE"
    assert mapping.keys["certification_ref_2021_decision"].field == "decision"
    assert mapping.keys["certification_ref_2021_date_decision"].type == "date"
    assert mapping.status_of("Non concerné") == "NC"


def test_the_key_documentation_is_generated_from_the_mapping():
    path = ROOT / "docs" / "formats" / "bqss-cles.md"
    assert path.read_text("utf-8") == bqss.mapping_markdown(), (
        "docs/formats/bqss-cles.md is stale: run "
        "`.venv/bin/python -m hospiscope.catalogue.bqss > docs/formats/bqss-cles.md`"
    )
    for key in bqss.load_mapping().keys:
        assert f"`{key}`" in path.read_text("utf-8")


def test_an_inconsistent_mapping_is_refused(monkeypatch):
    raw = bqss._raw()
    raw["keys"]["score_all_rea_ajust_dp"]["indicator"] = "NOPE"
    monkeypatch.setattr(bqss, "_raw", lambda: raw)
    bqss.load_mapping.cache_clear()
    try:
        with pytest.raises(ValueError, match="indicateur inconnu NOPE"):
            bqss.load_mapping()
    finally:
        bqss.load_mapping.cache_clear()


def test_a_class_must_be_text(monkeypatch):
    raw = bqss._raw()
    raw["keys"]["classe_score_all_rea_ajust_dp"]["type"] = "float"
    monkeypatch.setattr(bqss, "_raw", lambda: raw)
    bqss.load_mapping.cache_clear()
    try:
        with pytest.raises(ValueError, match="impossible pour le champ class"):
            bqss.load_mapping()
    finally:
        bqss.load_mapping.cache_clear()
