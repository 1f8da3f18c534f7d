"""Generative test: on random response tables, the embedded engines return exactly what the
pandas reference implementation returns (consistency, as ehrQL's generative tests; the spec
tests check correctness on hand-computed cases, Spark included). Every indicator of the
catalogue, on a demo warehouse and on every engine: test_catalogue_engines_agree.py."""

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hospiscope.catalogue import get_indicator
from hospiscope.engines import make_engine
from hospiscope.engines.runner import evaluate

from speclib import as_dict

FINESS = ["010000024", "2A0000022", "970100400", "010002129"]
response = st.fixed_dictionaries(
    {
        "campaign": st.sampled_from([2023, 2024]),
        "finess_et": st.sampled_from(FINESS),
        "complete": st.booleans(),
        "recommendation": st.one_of(st.none(), st.integers(1, 4)),
    }
)


def responses_table(schema: pa.Schema, rows: list[dict]) -> pa.Table:
    columns = {field.name: [row.get(field.name) for row in rows] for field in schema}
    columns["response_id"] = [f"r{i}" for i in range(len(rows))]
    columns["import_run_id"] = [1] * len(rows)
    return pa.table(columns, schema=schema)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(response, min_size=1, max_size=60))
def test_duckdb_and_polars_match_the_reference(warehouse_schemas, rows):
    indicator = get_indicator("ESATIS48H_RECO")
    meta = indicator.meta.model_copy(update={"levels": ("etablissement", "national")})
    indicator = indicator.__class__(meta, indicator.compute, indicator.reference)
    table = responses_table(warehouse_schemas["esatis_mco48h"], rows)
    inputs = {
        "esatis_mco48h": table,
        "esatis_participation": warehouse_schemas["esatis_participation"].empty_table(),
    }
    expected = indicator.reference({n: t.to_pandas() for n, t in inputs.items()}).assign(
        entity_kind="etablissement"
    )
    expected = as_dict(expected)
    for name in ("duckdb", "polars"):
        engine = make_engine(name)
        loaded = engine.load(inputs)
        got = as_dict(evaluate(engine, indicator, loaded))
        engine.close()
        assert {k: v for k, v in got.items() if k[0] == "etablissement"} == expected, name
        for period in {k[2] for k in expected}:
            pooled = [v for k, v in expected.items() if k[2] == period]
            assert got[("national", "FR", period)] == (
                sum(p[0] for p in pooled),
                sum(p[1] for p in pooled),
            ), name
