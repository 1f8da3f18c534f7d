"""Every indicator of the catalogue, on a small demo warehouse (every family, national models
fitted on it), computed by every engine exactly as `hospiscope compute` does, equals the
pandas reference at every level, entity and period: the raw sums (numerator, denominator and
every `stat_*` sufficient statistic, so that a difference hidden by a status still fails) and
the published columns (numerator, denominator, value, CI bounds, class, status).

The demo is built once per module (1 % of the national e-Satis volume). It has no ICSHA.2
rows (the demo writes the current ICSHA.3 version only): they are added from the ICSHA.3 rows
with other objectives and years, so that ICSHA2 and ICSHA2_OBJECTIF_ATTEINT are exercised too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hospiscope import pipeline
from hospiscope.catalogue import catalogue
from hospiscope.engines.levels import KEY_COLUMNS
from hospiscope.engines.reference import add_reference_derived, reference_evaluate
from hospiscope.engines.runner import (
    Sql,
    engine_groups,
    evaluate,
    input_tables,
    needed_tables,
)
from hospiscope.results.compute import compute_indicators
from hospiscope.results.finalize import finalize
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.results.store import read_results
from hospiscope.warehouse import Warehouse

SCALE = 0.01  # the smallest demo whose national fits still have every case-mix cell
RELATIVE = 1e-9
PUBLISHED = ("numerator", "denominator", "value", "ci_low", "ci_high", "class", "status")
TEXT = ("class", "status")
EARLIER_VERSION = """
INSERT INTO hygiene_icsha
SELECT finess_et, year - 4, 'ICSHA.2', volume_litres, objective_litres * 1.25, not_concerned,
       import_run_id
FROM hygiene_icsha WHERE version = 'ICSHA.3'
"""


@dataclass(frozen=True)
class Computed:
    raw: pd.DataFrame  # engine sums of every level, before finish
    published: pd.DataFrame  # after finalize


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("catalogue-demo")
    path = directory / "demo.duckdb"
    with Warehouse(path) as wh:
        pipeline.build_demo(wh, directory / "fichiers", scale=SCALE)
        wh.con.execute(EARLIER_VERSION)
        compute_indicators(wh, ["ICSHA2", "ICSHA2_OBJECTIF_ATTEINT"])
    return path


@pytest.fixture(scope="module")
def reference(demo) -> dict[str, Computed]:
    indicators = list(catalogue().values())
    with Warehouse(demo) as wh:
        stored, _ = needed_tables(indicators)
        frames = {name: wh.con.sql(f'SELECT * FROM "{name}"').df() for name in stored}
    frames = add_reference_derived(frames, indicators)
    computed = {}
    for indicator in indicators:
        raw = reference_evaluate(indicator, frames)
        computed[indicator.code] = Computed(raw, finalize(indicator, raw))
    return computed


def test_the_demo_exercises_every_indicator(reference):
    """Each indicator has results at every level it is published at, and some values or
    classes — otherwise the comparisons below would prove nothing for it."""
    for indicator in catalogue().values():
        published = reference[indicator.code].published
        kinds = set(published["entity_kind"])
        assert kinds == set(indicator.meta.levels), indicator.code
        assert (published["value"].notna() | published["class"].notna()).any(), indicator.code


def test_every_indicator_on_the_engine_matches_the_reference(engine, demo, reference):
    indicators = list(catalogue().values())
    problems = []
    with Warehouse(demo) as wh:
        tables = input_tables(engine, wh.con, indicators)
        groups = engine_groups(engine, tables)
        # DuckDB runs the SQL compiled for the fingerprint and pools the levels in SQL, as
        # `hospiscope compute` does; the other engines run the Ibis expressions and pool with
        # pandas (an Sql does not change their path).
        unbound = unbound_inputs(indicators, wh.con) if engine.name == "duckdb" else None
        for indicator in indicators:
            sql = None
            if unbound is not None:
                method = compile_method(indicator, wh.con, unbound)
                sql = Sql(method.compute_sql, method.prepare_sql, method.columns)
            raw = evaluate(engine, indicator, tables, groups, sql)
            expected = reference[indicator.code]
            problems += disagreements(indicator.code, "sums", raw, expected.raw)
            problems += disagreements(
                indicator.code,
                "published",
                finalize(indicator, raw)[[*KEY_COLUMNS, *PUBLISHED]],
                expected.published[[*KEY_COLUMNS, *PUBLISHED]],
            )
    assert not problems, f"{engine.name} ≠ reference:\n" + "\n".join(problems)


def test_stored_results_match_the_reference(demo, reference):
    """The results `hospiscope demo` stored (DuckDB, through storage) are the reference's."""
    with Warehouse(demo) as wh:
        stored = read_results(wh.con, origin="calcul")
    problems = []
    for code, expected in reference.items():
        got = stored[stored["indicator_code"] == code][[*KEY_COLUMNS, *PUBLISHED]]
        problems += disagreements(
            code, "stored", got, expected.published[[*KEY_COLUMNS, *PUBLISHED]]
        )
    assert not problems, "\n".join(problems)


def test_a_disagreement_fails(reference):
    """The comparison itself: one value off by more than 1e-9 relative, one class changed."""
    expected = reference["ESATIS48H_SCORE"].published[[*KEY_COLUMNS, *PUBLISHED]]
    changed = expected.copy()
    row = changed["value"].first_valid_index()
    changed.loc[row, "value"] *= 1 + 1e-8
    changed.loc[changed["class"].first_valid_index(), "class"] = "Z"
    found = disagreements("ESATIS48H_SCORE", "published", changed, expected)
    assert [p.split(":")[1].strip() for p in found] == ["published value", "published class"]
    assert not disagreements("ESATIS48H_SCORE", "published", expected, expected)


def disagreements(code: str, what: str, got: pd.DataFrame, expected: pd.DataFrame) -> list[str]:
    """One line per column that differs (with up to 3 examples), or per missing/extra key."""
    got, expected = _keyed(got), _keyed(expected)
    problems = []
    missing, extra = expected.index.difference(got.index), got.index.difference(expected.index)
    if len(missing) or len(extra):
        problems.append(
            f"{code}: {what} keys: {len(missing)} missing (e.g. {list(missing[:3])}), "
            f"{len(extra)} extra (e.g. {list(extra[:3])})"
        )
    both = expected.index.intersection(got.index)
    columns = [c for c in expected.columns if c in got.columns]
    if set(columns) != set(expected.columns) | set(got.columns):
        problems.append(f"{code}: {what} columns {sorted(got.columns)} ≠ {sorted(expected)}")
    for column in columns:
        a, b = got.loc[both, column], expected.loc[both, column]
        different = _text_differs(a, b) if column in TEXT else _number_differs(a, b)
        if different.any():
            examples = [f"{key}: {a[key]!r} ≠ {b[key]!r}" for key in both[different][:3]]
            problems.append(
                f"{code}: {what} {column}: {int(different.sum())} rows, e.g. {examples}"
            )
    return problems


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.assign(**{c: frame[c].astype(str) for c in KEY_COLUMNS})
    assert not frame.duplicated(list(KEY_COLUMNS)).any(), "duplicate result keys"
    return frame.set_index(list(KEY_COLUMNS)).sort_index()


def _number_differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    x = a.to_numpy(dtype=float, na_value=np.nan)
    y = b.to_numpy(dtype=float, na_value=np.nan)
    return ~np.isclose(x, y, rtol=RELATIVE, atol=0.0, equal_nan=True)


def _text_differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    return (a.fillna("∅").astype(str) != b.fillna("∅").astype(str)).to_numpy()
