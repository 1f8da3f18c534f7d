"""The demo read back as HAS publishes it: demo → compute → BQSS files (values, metadata,
establishments) → import into a fresh warehouse with the registry → bilan of the published
results, with the same class counts as the bilan of the computed results, indicator by
indicator, and the same stored values."""

import pandas as pd
import pytest

from hospiscope import pipeline
from hospiscope.catalogue.bqss import load_mapping
from hospiscope.demo.bqss import write_bqss_files
from hospiscope.reports.bilan import build_bilan
from hospiscope.results.store import read_results
from hospiscope.warehouse import Warehouse

CAMPAIGN = 2024


@pytest.fixture(scope="module")
def round_trip(demo_warehouse, tmp_path_factory):
    directory = tmp_path_factory.mktemp("bqss")
    with Warehouse(demo_warehouse, read_only=True) as demo:
        files = write_bqss_files(demo.con, directory, load_mapping())
    fresh = Warehouse(directory / "publie.duckdb")
    pipeline.import_registry(fresh, pipeline.bundled_registry())
    outcomes = [
        pipeline.import_bqss(fresh, path)
        for path in (files.metadata, files.establishments, files.values)
    ]
    yield files, outcomes, fresh
    fresh.close()


def class_counts(con, origin: str) -> dict[str, dict[str, int]]:
    bilan = build_bilan(con, CAMPAIGN, origin=origin)
    return {
        d.indicator: {c.code: c.count for c in d.categories}
        for section in bilan.sections
        for d in section.distributions
        if d.group_title == "Par région"
    }


def test_the_files_are_in_the_bqss_layout(round_trip):
    files, outcomes, _ = round_trip
    assert [o.written.layout for o in outcomes] == [
        "bqss-metadonnees",
        "bqss-etablissements",
        "bqss-valeurs",
    ]
    header = files.values.read_text("utf-8").splitlines()[0]
    assert header == (
        "annee,finess,finess_type,key,value_boolean,value_string,value_integer,value_float,"
        "missing_value,value_date"
    )
    assert outcomes[2].written.rows_rejected == 0
    assert outcomes[2].written.metadata["cles_non_reconnues"] == 0


def test_the_published_bilan_gives_the_computed_class_counts(round_trip, demo_warehouse):
    _, _, fresh = round_trip
    with Warehouse(demo_warehouse, read_only=True) as demo:
        computed = class_counts(demo.con, "calcul")
    published = class_counts(fresh.con, "publie")
    mapped = {k.indicator for k in load_mapping().keys.values()}
    compared = {code for code in mapped if code in computed}
    assert {"ESATIS48H_SCORE", "ESATISCA_SCORE", "ICSHA3", "CERT_DECISION"} <= compared
    for code in sorted(compared):
        assert published.get(code) == computed[code], code


def test_the_mapped_values_are_those_computed(round_trip, demo_warehouse):
    _, _, fresh = round_trip
    mapping = load_mapping()
    fields = {(k.indicator, k.field) for k in mapping.keys.values()}
    numbers = [
        (i, f) for i, f in fields if f in ("value", "numerator", "denominator", "ci_low", "ci_high")
    ]
    indicators = sorted({i for i, _ in numbers})
    with Warehouse(demo_warehouse, read_only=True) as demo:
        computed = read_results(
            demo.con, origin="calcul", indicators=indicators, entity_kinds=["etablissement"]
        )
    published = read_results(
        fresh.con, origin="publie", indicators=indicators, entity_kinds=["etablissement"]
    )
    keys = ["indicator_code", "period", "entity_id"]
    joined = computed.merge(published, on=keys, suffixes=("_c", "_p"), how="outer", indicator=True)
    kept = joined[joined["value_c"].notna() | joined["status_c"].notna()]
    assert (kept["_merge"] == "both").all()
    for indicator, field in numbers:
        rows = kept[kept["indicator_code"] == indicator]
        pd.testing.assert_series_equal(
            rows[f"{field}_c"].astype(float),
            rows[f"{field}_p"].astype(float),
            check_names=False,
            rtol=1e-12,
        )
    assert (kept["status_c"].fillna("") == kept["status_p"].fillna("")).all()
