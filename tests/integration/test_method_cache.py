"""The compiled methods kept in the warehouse (results.method_cache): a hit is exactly what a
fresh compile gives, for every indicator and derived table; a new computation compiles
nothing; what could change a compile (an input's schema, the definition's source or
metadata, a library version) invalidates the entry, and only the entries it concerns."""

from __future__ import annotations

import dataclasses
import sys

import ibis
import pytest

from hospiscope.catalogue import catalogue
from hospiscope.catalogue.derived import derived_tables
from hospiscope.engines.runner import needed_tables
from hospiscope.results import method_cache
from hospiscope.results.compute import compute_indicators
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.results.method_cache import MethodCache, cache_key, table_schemas
from hospiscope.results.store import read_results

HYGIENE, ESATIS = "ICSHA3", "ESATIS48H_SCORE"


@pytest.fixture(autouse=True)
def _forget():
    method_cache.forget()
    yield
    method_cache.forget()


def never():
    pytest.fail("compiled although the cache holds the method")


def test_a_hit_is_a_fresh_compile_for_every_indicator(demo_copy):
    """The demo's computation filled the cache; every entry read back from the warehouse
    equals a fresh compile: SQL, prepare SQL, columns and definition_hash."""
    indicators = list(catalogue().values())
    cache = MethodCache.read(demo_copy.con)
    unbound = unbound_inputs(indicators, demo_copy.con)
    for indicator in indicators:
        fresh = compile_method(indicator, demo_copy.con, unbound)
        assert cache.method(indicator, never) == fresh, indicator.code
    for name in needed_tables(indicators)[1]:
        fresh = ibis.to_sql(derived_tables()[name].build(unbound), dialect="duckdb")
        assert cache.derived(name, never) == fresh, name
    assert cache.hits == len(indicators) + len(needed_tables(indicators)[1]) == 79


def test_a_new_computation_compiles_nothing_and_stores_the_same_fingerprints(demo_copy):
    before = read_results(demo_copy.con, origin="calcul")
    computation = compute_indicators(demo_copy)
    assert computation.compiled == 0
    after = read_results(demo_copy.con, origin="calcul")
    fingerprints = ["indicator_code", "definition_hash"]
    assert (
        after[fingerprints].drop_duplicates().sort_values("indicator_code").values.tolist()
        == before[fingerprints].drop_duplicates().sort_values("indicator_code").values.tolist()
    )


def misses(con, codes) -> set[str]:
    """The indicators among `codes` whose cached method no longer holds."""
    cache = MethodCache.read(con)
    compiled = set()
    for code in codes:
        indicator = catalogue()[code]
        cache.method(indicator, lambda code=code: compiled.add(code))
    return compiled


def test_a_changed_input_schema_invalidates_the_indicators_reading_it(demo_copy):
    assert misses(demo_copy.con, [HYGIENE, ESATIS]) == set()
    demo_copy.con.execute("ALTER TABLE hygiene_icsha ADD COLUMN remark VARCHAR")
    assert misses(demo_copy.con, [HYGIENE, ESATIS]) == {HYGIENE}


def test_a_changed_definition_source_invalidates_its_indicators(demo_copy, monkeypatch):
    """Editing the hygiene family module (even a comment: the key is conservative) changes
    the key of the indicators defined with it, not of the others."""
    assert misses(demo_copy.con, [HYGIENE, ESATIS]) == set()
    read = method_cache.read_source

    def edited(path):
        text = read(path)
        return text + "\n# edited\n" if path.name == "_hygiene.py" else text

    monkeypatch.setattr(method_cache, "read_source", edited)
    method_cache.forget()
    assert misses(demo_copy.con, [HYGIENE, ESATIS]) == {HYGIENE}


def test_changed_metadata_or_versions_change_the_key(demo_copy, monkeypatch):
    indicator = catalogue()[HYGIENE]
    schemas = table_schemas(demo_copy.con)
    key = cache_key(indicator, schemas)
    assert key is not None and cache_key(indicator, schemas) == key
    module = sys.modules[f"hospiscope.catalogue.definitions.{HYGIENE.lower()}"]
    changed = dataclasses.replace(
        indicator, meta=indicator.meta.model_copy(update={"min_sample": 99})
    )
    monkeypatch.setattr(module, "INDICATOR", changed)
    assert cache_key(changed, schemas) not in (None, key)
    monkeypatch.setattr(module, "INDICATOR", indicator)
    monkeypatch.setattr(method_cache, "versions", lambda: ("3.99", "ibis 99"))
    assert cache_key(indicator, schemas) != key


def test_an_indicator_outside_the_catalogue_is_compiled_every_time(demo_copy):
    """A variant built by code (not a catalogue module's INDICATOR) has no source to key it."""
    variant = dataclasses.replace(catalogue()[HYGIENE])
    assert cache_key(variant, table_schemas(demo_copy.con)) is None
    compiled = []
    MethodCache.read(demo_copy.con).method(variant, lambda: compiled.append(1))
    assert compiled == [1]
