"""The demo staff flu vaccination generator: deterministic, in hospiscope's layout (BOM,
CRLF), staff proportional to capacity, NC and DI rows, seasons from 2022-2023 only, and
calibrated — national coverage 19 % in 2022-2023, the published 2023-2024 distribution of
establishments by level — checked after import and computation on DuckDB."""

import numpy as np
import polars as pl
import pytest

from hospiscope import pipeline
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import vaccination as demo
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.vaccination import HEADER
from hospiscope.warehouse import Warehouse

from support import demo_registry_and_capacity

SEED = 20_241
CAMPAIGNS = (2023, 2024)
PUBLISHED_2023_2024 = {
    "tres_insuffisant": 52.5,
    "insuffisant": 28.8,
    "convenable": 15.7,
    "intermediaire": 2.6,
    "exemplaire": 0.4,
}


def context(registry, capacity, directory, seed=SEED, campaigns=CAMPAIGNS):
    return DemoContext(registry, capacity, directory, campaigns, 1.0, seed)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled registry, demo capacities, the vaccination files imported and computed."""
    directory = tmp_path_factory.mktemp("demo-vaccination")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        registry, capacity = demo_registry_and_capacity(wh)
        files = demo.write_files(context(registry, capacity, directory / "fichiers"))
        outcomes = [pipeline.import_tabular(wh, command, path) for command, path in files]
        compute_indicators(wh, ["VACCIN_GRIPPE"])
        results = wh.con.execute("SELECT * FROM results").fetchdf()
        rows = wh.con.sql("SELECT * FROM vaccination_grippe").pl()
    return {
        "registry": registry,
        "capacity": capacity,
        "files": files,
        "outcomes": outcomes,
        "results": results,
        "rows": rows,
    }


def test_one_file_per_season_in_the_real_layout(built):
    assert [(command, path.name) for command, path in built["files"]] == [
        ("vaccination", "vaccination-grippe-2022-2023.csv"),
        ("vaccination", "vaccination-grippe-2023-2024.csv"),
    ]
    raw = built["files"][1][1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(HEADER).encode() + b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    for outcome in built["outcomes"]:
        assert outcome.written.rows_accepted == outcome.written.rows_read
        assert not outcome.written.issues


def test_national_coverage_2022_2023_is_19_percent(built):
    national = built["results"].query("entity_kind == 'national' and period == '2022-2023'")
    assert float(national["value"].iloc[0]) == pytest.approx(19.0, abs=0.3)


def test_levels_2023_2024_match_the_published_distribution(built):
    establishments = built["results"].query(
        "entity_kind == 'etablissement' and period == '2023-2024' and value == value"
    )
    shares = establishments["class"].value_counts(normalize=True) * 100
    for level, published in PUBLISHED_2023_2024.items():
        assert shares.get(level, 0.0) == pytest.approx(published, abs=1.0), level
    at_least_convenable = shares[["convenable", "intermediaire", "exemplaire"]].sum()
    assert at_least_convenable == pytest.approx(18.7, abs=1.0)  # the "19 %" headline


def test_staff_proportional_to_capacity(built):
    capacity = built["capacity"]
    units = sum(
        capacity[c].fill_null(0).cast(float) * t.value for c, t in demo.STAFF_PER_UNIT.items()
    )
    expected = capacity.select("finess_et").with_columns(units=units).filter(pl.col("units") > 0)
    rows = built["rows"].filter(pl.col("season") == "2023-2024").join(expected, on="finess_et")
    assert rows.height == expected.height
    ratio = (rows["staff"].cast(float) / rows["units"]).drop_nulls()
    big = (
        rows.filter(pl.col("units") > 50)["staff"].cast(float)
        / rows.filter(pl.col("units") > 50)["units"]
    )
    assert 0.85 < float(big.drop_nulls().median()) < 1.15
    assert float(ratio.min()) > 0


def test_not_concerned_and_missing_data(built):
    rows = built["rows"]
    nc = rows.filter(pl.col("not_concerned"))
    assert 0.005 < nc.height / rows.height < 0.02
    assert nc["staff"].null_count() == nc.height == nc["vaccinated"].null_count()
    missing = rows.filter(
        ~pl.col("not_concerned") & (pl.col("staff").is_null() | pl.col("vaccinated").is_null())
    )
    assert 0.01 < missing.height / rows.height < 0.035
    usable = rows.filter(pl.col("staff").is_not_null() & pl.col("vaccinated").is_not_null())
    assert (usable["vaccinated"] <= usable["staff"]).all()


def test_seasons_before_the_first_measurement_are_not_written(built, tmp_path):
    files = demo.write_files(
        context(built["registry"], built["capacity"], tmp_path, campaigns=(2022, 2023))
    )
    assert [path.name for _, path in files] == ["vaccination-grippe-2022-2023.csv"]


def test_same_seed_same_files(built, tmp_path):
    registry, capacity = built["registry"], built["capacity"]
    first = demo.write_files(context(registry, capacity, tmp_path / "a"))
    again = demo.write_files(context(registry, capacity, tmp_path / "b"))
    other = demo.write_files(context(registry, capacity, tmp_path / "c", seed=SEED + 1))
    for (_, a), (_, b), (_, c) in zip(first, again, other, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes() != c.read_bytes()


def test_level_bounds_come_from_the_yaml_grid():
    bounds, cumulative = demo.level_distribution()
    assert list(bounds) == pytest.approx([0, 0.2, 0.4, 0.6, 0.75, 1.0])
    assert list(cumulative) == pytest.approx([0, 0.525, 0.813, 0.970, 0.996, 1.0])


def test_shape_corrected_for_binomial_counting():
    """Small establishments spread across bounds; the corrected shape gives the published
    shares in expectation (without correction: about a point off at each bound)."""
    rng = np.random.default_rng(3)
    staff = rng.integers(20, 400, 4000).astype(float)
    bounds, cumulative = demo.level_distribution()
    coverage = demo.latent_coverage(rng.standard_normal(4000), staff, bounds, cumulative, None)
    expected = demo.expected_below(coverage, staff, bounds[1:-1])
    assert expected == pytest.approx(cumulative[1:-1], abs=1e-4)
    naive = np.interp((np.arange(4000) + 0.5) / 4000, cumulative, bounds)
    naive_gap = demo.expected_below(naive, staff, bounds[1:-1]) - cumulative[1:-1]
    assert np.max(np.abs(naive_gap)) > 0.01


def test_published_figures_and_assumptions_are_labelled():
    assert not demo.NATIONAL_COVERAGE["2022-2023"].is_assumption
    assert not any(t.is_assumption for t in demo.LEVEL_SHARES.values())
    assert all(t.is_assumption for t in demo.STAFF_PER_UNIT.values())
    assert demo.SEASON_CORRELATION.is_assumption and demo.NOT_CONCERNED_SHARE.is_assumption
