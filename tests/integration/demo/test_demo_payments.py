"""The demo payment files: supplier invoices (batches) and social contributions in
hospiscope's layouts, deterministic, small (at most about a million lines at scale 1, fast at
the tests' scale), and calibrated — after import and computation on DuckDB, the public
establishments' amount-weighted supplier payment delay is the observed one (63.4 days in
2024, 2.2 more than in 2023; IGF-IGAS 2025 annex XII), and contributions are mostly paid at
their due date, a fifth of the establishments paying them early with the salaries
(hypothèses hospiscope)."""

import datetime as dt
import time

import numpy as np
import polars as pl
import pytest

from hospiscope import pipeline
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import payments as demo
from hospiscope.demo.finance import finance_establishments
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.payments import CONTRIBUTIONS_HEADER, SUPPLIERS_HEADER
from hospiscope.warehouse import Warehouse

from support import demo_registry_and_capacity

SEED = 20_241
CAMPAIGNS = (2023, 2024)
SCALE = 0.02
CODES = ["EFF_DELAI_PAIEMENT", "EFF_COTISATIONS_ECHEANCE"]


def context(registry, capacity, directory, scale=SCALE, seed=SEED):
    return DemoContext(registry, capacity, directory, CAMPAIGNS, scale, seed)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo-payments")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        registry, capacity = demo_registry_and_capacity(wh)
        started = time.perf_counter()
        files = demo.write_files(context(registry, capacity, directory / "fichiers"))
        seconds = time.perf_counter() - started
        outcomes = [pipeline.import_tabular(wh, command, path) for command, path in files]
        compute_indicators(wh, CODES)
        results = wh.con.execute(
            "SELECT * FROM results WHERE indicator_code IN ('EFF_DELAI_PAIEMENT', "
            "'EFF_COTISATIONS_ECHEANCE')"
        ).fetchdf()
        contributions = wh.con.sql("SELECT * FROM social_contributions").pl()
        invoices = wh.con.sql("SELECT * FROM supplier_payments").pl()
    return {
        "registry": registry,
        "capacity": capacity,
        "files": files,
        "seconds": seconds,
        "outcomes": outcomes,
        "results": results,
        "contributions": contributions,
        "invoices": invoices,
    }


def value(results, code, kind, entity, period):
    row = results.query(
        "indicator_code == @code and entity_kind == @kind and entity_id == @entity "
        "and period == @period"
    )
    return float(row["value"].iloc[0])


def test_two_files_per_year_in_the_real_layouts(built):
    assert [(c, p.name) for c, p in built["files"]] == [
        ("paiements-fournisseurs", "paiements-fournisseurs-2023.csv"),
        ("paiements-fournisseurs", "paiements-fournisseurs-2024.csv"),
        ("cotisations-sociales", "cotisations-sociales-2023.csv"),
        ("cotisations-sociales", "cotisations-sociales-2024.csv"),
    ]
    headers = [SUPPLIERS_HEADER, SUPPLIERS_HEADER, CONTRIBUTIONS_HEADER, CONTRIBUTIONS_HEADER]
    for (_, path), header in zip(built["files"], headers, strict=True):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf" + ";".join(header).encode() + b"\r\n")
        assert b"\n" not in raw.replace(b"\r\n", b"")
    for outcome in built["outcomes"]:
        assert outcome.written.rows_accepted == outcome.written.rows_read
        assert not outcome.written.issues
    assert built["seconds"] < 5  # about 0.2 s on the development machine


@pytest.mark.parametrize(("year", "published"), [("2023", 61.2), ("2024", 63.4)])
def test_public_supplier_payment_delay_is_the_observed_one(built, year, published):
    delay = value(built["results"], "EFF_DELAI_PAIEMENT", "statut", "public", year)
    assert delay == pytest.approx(published, abs=0.1)


def test_the_delay_grows_by_2_2_days_and_establishments_spread_around_it(built):
    results = built["results"]
    growth = value(results, "EFF_DELAI_PAIEMENT", "statut", "public", "2024") - value(
        results, "EFF_DELAI_PAIEMENT", "statut", "public", "2023"
    )
    assert growth == pytest.approx(2.2, abs=0.15)
    one = results.query(
        "indicator_code == 'EFF_DELAI_PAIEMENT' and entity_kind == 'etablissement' "
        "and period == '2024'"
    )["value"]
    assert 0.2 < (one <= 50).mean() < 0.8  # some within the regulatory maximum, some beyond


def test_invoice_dates_follow_the_rule(built):
    invoices = built["invoices"]
    assert (invoices["paid_on"].dt.year().is_in([2023, 2024])).all()
    delivered = invoices.filter(pl.col("service_done_on").is_not_null())
    share = delivered.height / invoices.height
    assert 0.2 < share < 0.3  # 15 % delivered after receipt, 10 % before
    prepaid = invoices.filter(pl.col("paid_on") < pl.col("received_on"))
    assert 0.005 < prepaid.height / invoices.height < 0.04
    assert invoices.group_by("finess_et", pl.col("paid_on").dt.year()).len()["len"].min() >= 12


def test_national_volume_stays_small_at_scale_one(built):
    sites = finance_establishments(
        context(built["registry"], built["capacity"], None, 1.0), "paiements"
    )
    purchases = sites["purchases"].to_numpy()
    lines = np.maximum(demo.MIN_LINES, np.round(purchases / demo.BATCH_EUROS.value)).sum()
    contributions = sites.height * 12 * 3
    assert (lines + contributions) * len(CAMPAIGNS) < 1_000_000
    public = (sites["legal_status"] == "public").to_numpy()
    assert purchases[public].sum() == pytest.approx(34.6e9)  # facts.md §4


def test_contributions_mostly_at_their_due_date(built):
    results = built["results"]
    for year in ("2023", "2024"):
        share = value(results, "EFF_COTISATIONS_ECHEANCE", "national", "FR", year)
        assert 75 < share < 86  # about 80 %: a fifth of establishments pay with the salaries
    c = built["contributions"]
    not_late = c.filter(pl.col("paid_on").is_not_null() & (pl.col("paid_on") <= pl.col("due_on")))
    assert not_late.height / c.height > 0.97  # on or before the due date
    assert c.group_by("finess_et", "year").len()["len"].unique().to_list() == [36]
    assert set(c["due_on"].dt.weekday().unique()) <= {1, 2, 3, 4, 5}  # never a weekend
    assert (c["due_on"].dt.day() <= 7).all()  # the 5th, or the Monday after it


def test_due_dates_move_off_weekends():
    due = [dt.date.fromordinal(int(o)) for o in demo.due_dates(2024)]
    assert due[0] == dt.date(2024, 2, 5)  # Monday
    assert due[3] == dt.date(2024, 5, 6)  # Sunday 5 May → Monday 6
    assert due[11] == dt.date(2025, 1, 6)  # December's: Sunday 5 January 2025 → Monday


def test_same_seed_same_files(built, tmp_path):
    again = demo.write_files(context(built["registry"], built["capacity"], tmp_path / "a"))
    for (_, first), (_, second) in zip(built["files"], again, strict=True):
        assert first.read_bytes() == second.read_bytes()
