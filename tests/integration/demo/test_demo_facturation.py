"""The demo billing generator: files in the real layouts (BOM, CRLF, French dates and decimal
commas) for the public and private non-profit establishments with MCO activity only, small
(≤ 1 M lines at scale 1, weekly batches; quarters and fast at 2 %), deterministic, and
calibrated — after import and computation on DuckDB — on facts.md §4: billing delays of 50 to
150 days by debtor (the assumed per-debtor values), 91 % of the complementary insurers' amount
recovered at 30 June n+1, 1.29 % of invoices rejected with CDRi and 3.59 % without, ≈ €550 M
of patients' share not recovered in public establishments, revenues of ≈ €100 bn."""

import time

import polars as pl
import pytest

from hospiscope import pipeline
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import facturation as demo
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.facturation import INVOICES
from hospiscope.warehouse import Warehouse

from support import demo_registry_and_capacity

SEED = 20_241
CAMPAIGNS = (2023, 2024)
CODES = [
    "EFF_DELAI_FACTURATION",
    "EFF_DELAI_FACT_AMO",
    "EFF_DELAI_FACT_AMC",
    "EFF_DELAI_FACT_PATIENT",
    "EFF_DELAI_FACT_INTER",
    "EFF_TAUX_REJET",
    "EFF_RECOUVREMENT_AMC_6M",
    "EFF_CREANCES_PATIENT",
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo-facturation-registre")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        return demo_registry_and_capacity(wh)


@pytest.fixture(scope="module")
def built(registry, tmp_path_factory):
    """Scale 1 (weekly batches, as `make run`): files imported and computed."""
    directory = tmp_path_factory.mktemp("demo-facturation")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        demo_registry_and_capacity(wh)
        context = DemoContext(*registry, directory / "fichiers", CAMPAIGNS, 1.0, SEED)
        files = demo.write_files(context)
        outcomes = [pipeline.import_tabular(wh, command, path) for command, path in files]
        compute_indicators(wh, CODES)
        national = {
            (code, period): value
            for code, period, value in wh.con.execute(
                "SELECT indicator_code, period, value FROM results WHERE entity_kind = 'national'"
            ).fetchall()
        }
        by_cdri = dict(
            wh.con.execute(
                """SELECT r.period || ' ' || c.cdri, sum(numerator) / sum(denominator) * 100
                FROM results r JOIN billing_cdri c
                ON c.finess_et = r.entity_id AND CAST(c.year AS VARCHAR) = r.period
                WHERE indicator_code = 'EFF_TAUX_REJET' AND entity_kind = 'etablissement'
                GROUP BY ALL"""
            ).fetchall()
        )
        public = dict(
            wh.con.execute(
                """SELECT r.indicator_code || ' ' || r.period, sum(r.numerator)
                FROM results r JOIN establishments e ON e.finess_et = r.entity_id
                WHERE r.entity_kind = 'etablissement' AND e.legal_status = 'public'
                AND r.indicator_code IN ('EFF_CREANCES_PATIENT') GROUP BY ALL"""
            ).fetchall()
        )
        billed = wh.con.execute(
            """SELECT year(service_date), e.legal_status, sum(amount) FROM billing_invoices i
            JOIN establishments e USING (finess_et) WHERE NOT coalesce(rejected, false)
            GROUP BY ALL"""
        ).fetchall()
        statuses = wh.con.execute(
            """SELECT DISTINCT e.legal_status FROM billing_invoices JOIN establishments e
            USING (finess_et)"""
        ).fetchall()
        cdri = wh.con.execute("SELECT year, avg(cdri::INT) FROM billing_cdri GROUP BY 1").fetchall()
        lines = wh.count("billing_invoices")
        establishments = wh.con.execute(
            "SELECT count(DISTINCT finess_et) FROM billing_invoices"
        ).fetchall()[0][0]
    return {
        "files": files,
        "outcomes": outcomes,
        "national": national,
        "by_cdri": by_cdri,
        "public": public,
        "billed": billed,
        "statuses": {row[0] for row in statuses},
        "cdri": dict(cdri),
        "lines": lines,
        "establishments": establishments,
    }


def test_files_in_the_real_layout(built):
    assert [(command, path.name) for command, path in built["files"]] == [
        ("factures", "factures-2023.csv"),
        ("cdri", "cdri-2023.csv"),
        ("factures", "factures-2024.csv"),
        ("cdri", "cdri-2024.csv"),
    ]
    raw = built["files"][0][1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(INVOICES.header).encode() + b"\r\n")
    first = raw.split(b"\r\n")[1].decode()
    assert first.count("/") >= 4 and "," in first  # French dates, decimal comma
    for outcome in built["outcomes"]:
        assert outcome.written.rows_accepted == outcome.written.rows_read
        assert not outcome.written.issues


def test_public_and_non_profit_mco_establishments_only_and_small(built):
    assert built["statuses"] == {"public", "prive_non_lucratif"}
    assert 1_200 <= built["establishments"] <= 1_400  # Hospi Diag: ≈ 1 350 MCO establishments
    assert built["lines"] <= 1_000_000


@pytest.mark.parametrize(
    ("code", "days"),
    [
        ("EFF_DELAI_FACT_AMO", 50),
        ("EFF_DELAI_FACT_AMC", 65),
        ("EFF_DELAI_FACT_PATIENT", 90),
        ("EFF_DELAI_FACT_INTER", 150),
    ],
)
def test_billing_delays_by_debtor(built, code, days):
    for year in CAMPAIGNS:
        assert built["national"][(code, str(year))] == pytest.approx(days, abs=1.0)


def test_overall_delay_within_the_published_range(built):
    for year in CAMPAIGNS:
        assert 50 <= built["national"][("EFF_DELAI_FACTURATION", str(year))] <= 150


def test_recovery_and_receivables(built):
    for year in CAMPAIGNS:
        assert built["national"][("EFF_RECOUVREMENT_AMC_6M", str(year))] == pytest.approx(
            91.0, abs=0.2
        )
        assert built["national"][("EFF_CREANCES_PATIENT", str(year))] == pytest.approx(
            45.8, abs=0.3
        )
    # ≈ €550 M a year of patients' share not recovered in public establishments (ANAP).
    assert built["public"]["EFF_CREANCES_PATIENT 2024"] == pytest.approx(550e6, rel=0.05)


def test_rejections_with_and_without_cdri(built):
    for year in CAMPAIGNS:
        assert built["by_cdri"][f"{year} true"] == pytest.approx(1.29, abs=0.05)
        assert built["by_cdri"][f"{year} false"] == pytest.approx(3.59, abs=0.08)
    assert built["cdri"][2024] == pytest.approx(761 / 1350, abs=0.04)
    assert built["cdri"][2023] < built["cdri"][2024]


def test_invoiced_revenues_of_public_establishments(built):
    """Revenues ≈ €100 bn (2024); invoices hold the invoiced part, 18.7 % by assumption."""
    public_2024 = sum(
        amount for year, status, amount in built["billed"] if (year, status) == (2024, "public")
    )
    assert public_2024 == pytest.approx(0.187 * 100e9, rel=0.05)


def test_two_percent_demo_is_fast_and_deterministic(registry, tmp_path):
    started = time.perf_counter()
    files = demo.write_files(DemoContext(*registry, tmp_path / "a", CAMPAIGNS, 0.02, SEED))
    assert time.perf_counter() - started < 2.0
    again = demo.write_files(DemoContext(*registry, tmp_path / "b", CAMPAIGNS, 0.02, SEED))
    assert [p.read_bytes() for _, p in files] == [p.read_bytes() for _, p in again]
    lines = pl.read_csv(files[0][1], separator=";", infer_schema=False)
    assert lines.height < 40_000  # quarters: about 25 lines per establishment and year
    assert set(lines["debiteur"]) == {"AMO", "AMC", "PATIENT", "ETABLISSEMENT", "AUTRE"}
