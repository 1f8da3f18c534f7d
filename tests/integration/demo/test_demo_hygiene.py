"""The demo ICSHA generator: deterministic, in hospiscope's ICSHA layout (BOM, CRLF, decimal
comma), for establishments with MCO / SMR / psychiatric beds, with NC and DI rows, and
calibrated on the HAS 2024 press file — checked after import and computation on DuckDB."""

import numpy as np
import polars as pl
import pytest

from hospiscope import pipeline
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import hygiene as demo
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.hygiene import HEADER
from hospiscope.warehouse import Warehouse

from support import demo_registry_and_capacity

SEED = 20_241
CAMPAIGNS = (2023, 2024)


def context(registry, capacity, directory, seed=SEED, campaigns=CAMPAIGNS):
    return DemoContext(registry, capacity, directory, campaigns, 1.0, seed)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled registry, demo capacities, the ICSHA files imported and computed."""
    directory = tmp_path_factory.mktemp("demo-hygiene")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        registry, capacity = demo_registry_and_capacity(wh)
        files = demo.write_files(context(registry, capacity, directory / "fichiers"))
        outcomes = [pipeline.import_tabular(wh, command, path) for command, path in files]
        compute_indicators(wh, ["ICSHA3", "ICSHA3_OBJECTIF_ATTEINT", "ICSHA2"])
        results = wh.con.execute("SELECT * FROM results").fetchdf()
        rows = wh.con.sql("SELECT * FROM hygiene_icsha").pl()
    return {
        "registry": registry,
        "capacity": capacity,
        "files": files,
        "outcomes": outcomes,
        "results": results,
        "rows": rows,
    }


def national(results, code, period):
    row = results[
        (results["indicator_code"] == code)
        & (results["entity_kind"] == "national")
        & (results["period"] == period)
    ]
    return float(row["value"].iloc[0])


def test_one_file_per_campaign_in_the_real_layout(built):
    assert [(command, path.name) for command, path in built["files"]] == [
        ("icsha", "icsha-2023.csv"),
        ("icsha", "icsha-2024.csv"),
    ]
    raw = built["files"][0][1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(HEADER).encode() + b"\r\n")
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert b",5;" in raw or b",0;" in raw  # decimal comma
    for outcome in built["outcomes"]:
        assert outcome.written.rows_accepted == outcome.written.rows_read
        assert not outcome.written.issues


def test_establishments_with_mco_smr_or_psychiatric_beds(built):
    capacity = built["capacity"]
    beds = sum(capacity[c].fill_null(0) for c in ("beds_mco", "beds_smr", "beds_psy"))
    expected = set(capacity.filter(beds > 0)["finess_et"])
    rows = built["rows"]
    for year in CAMPAIGNS:
        assert set(rows.filter(pl.col("year") == year)["finess_et"]) == expected
    assert set(rows["version"]) == {"ICSHA.3"}


@pytest.mark.parametrize(
    ("year", "value", "reached"),
    [("2024", 79.0, 28.0), ("2023", 82.0, 33.0)],
)
def test_national_figures_match_the_press_file(built, year, value, reached):
    results = built["results"]
    assert national(results, "ICSHA3", year) == pytest.approx(value, abs=0.1)
    assert national(results, "ICSHA3_OBJECTIF_ATTEINT", year) == pytest.approx(reached, abs=0.1)


def test_evolution_of_the_national_value(built):
    results = built["results"]
    change = national(results, "ICSHA3", "2024") - national(results, "ICSHA3", "2023")
    assert change == pytest.approx(-3.0, abs=0.2)  # "−3 points vs 2023"


def test_not_concerned_and_missing_data(built):
    rows = built["rows"]
    share_nc = rows["not_concerned"].mean()
    missing = rows.filter(
        ~pl.col("not_concerned")
        & (pl.col("volume_litres").is_null() | pl.col("objective_litres").is_null())
    )
    assert 0.005 < share_nc < 0.02
    assert 0.01 < missing.height / rows.height < 0.035
    assert missing["volume_litres"].null_count() > missing["objective_litres"].null_count() > 0
    nc = rows.filter(pl.col("not_concerned"))
    assert nc["volume_litres"].null_count() == nc.height == nc["objective_litres"].null_count()
    establishments = built["results"].query(
        "indicator_code == 'ICSHA3' and entity_kind == 'etablissement'"
    )
    assert establishments["value"].isna().sum() == nc.height + missing.height


def test_classes_are_spread_over_the_grid(built):
    establishments = built["results"].query(
        "indicator_code == 'ICSHA3' and entity_kind == 'etablissement' and period == '2024'"
    )
    shares = establishments["class"].value_counts(normalize=True)
    assert set(shares.index) == {"A", "B", "C", "D", "E"}
    assert shares["A"] > shares["E"]


def test_no_icsha2_rows_so_nothing_mixed(built):
    assert built["results"].query("indicator_code == 'ICSHA2'").empty


def test_same_seed_same_files(built, tmp_path):
    registry, capacity = built["registry"], built["capacity"]
    first = demo.write_files(context(registry, capacity, tmp_path / "a"))
    again = demo.write_files(context(registry, capacity, tmp_path / "b"))
    other = demo.write_files(context(registry, capacity, tmp_path / "c", seed=SEED + 1))
    for (_, a), (_, b), (_, c) in zip(first, again, other, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes() != c.read_bytes()


def test_2022_uses_the_published_national_value(built, tmp_path):
    target = demo.calibration(2022)
    assert target.national.value == 0.95 and not target.national.is_assumption
    assert target.reached.is_assumption
    assert demo.calibration(2031).national.is_assumption
    files = demo.write_files(
        context(built["registry"], built["capacity"], tmp_path, campaigns=(2022,))
    )
    frame = pl.read_csv(files[0][1], separator=";", infer_schema=False).drop_nulls()
    volume = frame["volume_consomme_litres"].str.replace(",", ".").cast(float)
    objective = frame["objectif_personnalise_litres"].str.replace(",", ".").cast(float)
    assert volume.sum() / objective.sum() == pytest.approx(0.95, abs=0.001)
    assert (volume >= objective).mean() == pytest.approx(0.45, abs=0.001)


def test_unpublished_figures_are_labelled_assumptions():
    assert not demo.CALIBRATION[2024].national.is_assumption
    assert not demo.CALIBRATION[2023].reached.is_assumption
    assert all(t.is_assumption for t in demo.FRICTIONS.values())
    assert all(t.is_assumption for t in demo.OCCUPANCY.values())
    assert demo.LITRES_PER_FRICTION.is_assumption and demo.YEAR_CORRELATION.is_assumption


def test_rounding_never_crosses_the_objective():
    objective = np.array([18.0, 655.2, 100.0, 100.0])
    rate = np.array([1.0, 1.0000001, 0.9999999, 0.5])
    volume = demo.rounded_volumes(rate, objective)
    assert list(volume >= objective) == [True, True, False, False]
