"""A method change never silently rewrites published results: recomputing the same version
replaces it; a changed computation under the same version is refused; a new version is
stored beside the old one and its results carry the "method changed" mark."""

import dataclasses

import ibis
import pytest

from hospiscope import pipeline
from hospiscope.catalogue import catalogue, get_indicator
from hospiscope.results.compute import compute_indicators
from hospiscope.results.store import SilentMethodChange, read_results

from support import FIXTURES, table_fingerprint

CODE = "ESATIS48H_RECO"


@pytest.fixture
def computed(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    pipeline.import_esatis(warehouse, FIXTURES / "esatis" / "esatis-mco48h-extrait.csv")
    compute_indicators(warehouse, [CODE])
    return warehouse


def replace_definition(monkeypatch, indicator):
    monkeypatch.setitem(catalogue(), indicator.code, indicator)


def probably_or_certainly(original):
    """The same indicator counting "probably" (3) as well: a different method."""

    def compute(tables):
        r = tables["esatis_mco48h"]
        usable = r.filter(r.complete & r.recommendation.notnull())
        return usable.group_by(
            entity_id=usable.finess_et, period=usable.campaign.cast("string")
        ).aggregate(
            numerator=(usable.recommendation >= 3).cast("int64").sum(), denominator=usable.count()
        )

    return dataclasses.replace(original, compute=compute)


def test_recomputing_the_same_version_replaces_its_results(computed):
    first = read_results(computed.con, indicator=CODE)
    compute_indicators(computed, [CODE])
    second = read_results(computed.con, indicator=CODE)
    assert len(second) == len(first)
    assert (second["computation_id"] == 2).all()
    assert second["value"].tolist() == pytest.approx(first["value"].tolist(), nan_ok=True)


def test_changed_computation_under_the_same_version_is_refused(computed, monkeypatch):
    replace_definition(monkeypatch, probably_or_certainly(get_indicator(CODE)))
    before = table_fingerprint(computed)
    with pytest.raises(SilentMethodChange, match="nouvelle version de méthode"):
        compute_indicators(computed, [CODE])
    assert table_fingerprint(computed) == before


def test_new_version_is_kept_beside_the_old_one(computed, monkeypatch):
    original = get_indicator(CODE)
    changed = probably_or_certainly(original)
    changed = dataclasses.replace(
        changed, meta=original.meta.model_copy(update={"method_version": "2.0"})
    )
    replace_definition(monkeypatch, changed)
    compute_indicators(computed, [CODE])
    everything = read_results(computed.con, indicator=CODE, all_versions=True)
    assert set(everything["method_version"]) == {original.meta.method_version, "2.0"}
    latest = read_results(computed.con, indicator=CODE)
    assert set(latest["method_version"]) == {"2.0"} and latest["method_changed"].all()
    old = everything[everything["method_version"] == original.meta.method_version]
    national_old = old[old["entity_kind"] == "national"]["value"].iloc[0]
    national_new = latest[latest["entity_kind"] == "national"]["value"].iloc[0]
    assert national_new > national_old  # "probably" now counts: the old value is untouched


def test_version_ordering_is_numeric(computed, monkeypatch):
    original = get_indicator(CODE)
    for version in ("1.9", "1.10"):
        changed = dataclasses.replace(
            probably_or_certainly(original) if version == "1.10" else original,
            meta=original.meta.model_copy(update={"method_version": version}),
        )
        replace_definition(monkeypatch, changed)
        compute_indicators(computed, [CODE])
    assert set(read_results(computed.con, indicator=CODE)["method_version"]) == {"1.10"}


def test_definition_hash_ignores_the_engine(computed):
    """The fingerprint is the computation compiled against the schema, not engine output."""
    polars = compute_indicators(computed, [CODE], engine_name="polars")
    assert polars.rows[CODE] == len(read_results(computed.con, indicator=CODE))
    assert ibis.__version__  # the fingerprint relies on Ibis' SQL compiler
