"""The demo stock inventories: in hospiscope's layout (BOM, CRLF), for the public and private
non-profit establishments with MCO activity only, deterministic, and calibrated — after
import and computation on DuckDB, the public establishments pooled hold the days of stock of
the 2023 accounts (IGF-IGAS 2025 annex XII: about 40 days for medicines and for medical
supplies, nearly 100 for other consumables) every year; June counts are written but December
is kept; about 1 % of lines are DI."""

import polars as pl
import pytest

from hospiscope import pipeline
from hospiscope.demo.activities import eligible
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import stocks as demo
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.stocks import HEADER
from hospiscope.warehouse import Warehouse

from support import demo_registry_and_capacity

SEED = 20_241
CAMPAIGNS = (2023, 2024)
CODES = {"MEDICAMENTS": "EFF_STOCK_MEDICAMENTS", "DM": "EFF_STOCK_DM", "AUTRES": "EFF_STOCK_AUTRES"}
OBSERVED = {"EFF_STOCK_MEDICAMENTS": 40.0, "EFF_STOCK_DM": 40.0, "EFF_STOCK_AUTRES": 100.0}


def context(registry, capacity, directory, seed=SEED):
    return DemoContext(registry, capacity, directory, CAMPAIGNS, 0.02, seed)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo-stocks")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        registry, capacity = demo_registry_and_capacity(wh)
        files = demo.write_files(context(registry, capacity, directory / "fichiers"))
        outcomes = [pipeline.import_tabular(wh, command, path) for command, path in files]
        compute_indicators(wh, list(CODES.values()))
        results = wh.con.execute(
            "SELECT * FROM results WHERE indicator_code LIKE 'EFF_STOCK_%'"
        ).fetchdf()
        rows = wh.con.sql("SELECT * FROM stock_inventories").pl()
    return {
        "registry": registry,
        "capacity": capacity,
        "directory": directory,
        "files": files,
        "outcomes": outcomes,
        "results": results,
        "rows": rows,
    }


def test_one_file_per_year_in_the_real_layout(built):
    assert [(c, p.name) for c, p in built["files"]] == [
        ("stocks", "stocks-2023.csv"),
        ("stocks", "stocks-2024.csv"),
    ]
    raw = built["files"][0][1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(HEADER).encode() + b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"," in raw  # decimal commas, as a spreadsheet writes them
    for outcome in built["outcomes"]:
        assert outcome.written.rows_accepted == outcome.written.rows_read
        assert not outcome.written.issues


def test_only_public_and_non_profit_establishments_with_mco_activity(built):
    capacity, registry = built["capacity"], built["registry"]
    mco = set(capacity.filter(eligible(capacity, "stocks"))["finess_et"])
    statuses = dict(zip(registry["finess_et"], registry["legal_status"], strict=True))
    finess = set(built["rows"]["finess_et"])
    assert finess <= mco
    assert {statuses[f] for f in finess} == {"public", "prive_non_lucratif"}
    expected = {f for f in mco if statuses[f] in ("public", "prive_non_lucratif")}
    assert finess == expected and 1_150 <= len(finess) <= 1_400  # Hospi Diag: ≈ 1 350


@pytest.mark.parametrize("year", CAMPAIGNS)
@pytest.mark.parametrize("code", sorted(OBSERVED))
def test_public_establishments_hold_the_observed_days_of_stock(built, code, year):
    results = built["results"]
    rows = results[(results["indicator_code"] == code) & (results["period"] == str(year))]
    public = rows.query("entity_kind == 'statut' and entity_id == 'public'")
    assert float(public["value"].iloc[0]) == pytest.approx(OBSERVED[code], abs=0.05)
    national = rows.query("entity_kind == 'national'")
    assert float(national["value"].iloc[0]) == pytest.approx(OBSERVED[code], rel=0.05)


def test_establishments_are_spread_around_the_level(built):
    one = built["results"].query(
        "indicator_code == 'EFF_STOCK_MEDICAMENTS' and entity_kind == 'etablissement' "
        "and period == '2024' and value == value"
    )["value"]
    assert 20 < one.quantile(0.1) < 30 < 50 < one.quantile(0.9) < 70
    assert (one < 28).mean() > 0.1  # some are already at the target


def test_june_counts_are_written_and_december_is_kept(built):
    rows = built["rows"]
    june = rows.filter(pl.col("inventory_date").dt.month() == 6)
    assert 0.05 < june["finess_et"].n_unique() / rows["finess_et"].n_unique() < 0.15
    one = june.filter(pl.col("stock_family") == "MEDICAMENTS").row(0, named=True)
    december = rows.filter(
        (pl.col("finess_et") == one["finess_et"])
        & (pl.col("stock_family") == "MEDICAMENTS")
        & (pl.col("inventory_date").dt.year() == one["inventory_date"].year)
        & (pl.col("inventory_date").dt.month() == 12)
    ).row(0, named=True)
    results = built["results"].set_index(["indicator_code", "entity_kind", "entity_id", "period"])
    key = (
        "EFF_STOCK_MEDICAMENTS",
        "etablissement",
        one["finess_et"],
        str(december["inventory_date"].year),
    )
    assert results.loc[key, "numerator"] == december["stock_value"]


def test_about_one_percent_di(built):
    december = built["rows"].filter(pl.col("inventory_date").dt.month() == 12)
    missing = december["consumption_12m"].is_null().mean()
    assert 0.003 < missing < 0.025
    statuses = built["results"].query("entity_kind == 'etablissement'")["status"]
    assert 0.003 < (statuses == "DI").mean() < 0.025


def test_same_seed_same_files_and_another_seed_other_files(built, tmp_path):
    again = demo.write_files(context(built["registry"], built["capacity"], tmp_path / "a"))
    assert again[1][1].read_bytes() == built["files"][1][1].read_bytes()
    other = demo.write_files(context(built["registry"], built["capacity"], tmp_path / "b", 7))
    assert other[1][1].read_bytes() != built["files"][1][1].read_bytes()
