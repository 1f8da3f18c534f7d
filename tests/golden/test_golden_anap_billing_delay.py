"""The ANAP billing-delay method (360° audits, IGF-IGAS 2025 annex XII § 2.1.1; facts.md §4)
on a few hand-computed invoices, end to end: a file in the real layout imported, the
indicators computed on DuckDB, the published values compared with the arithmetic written
below.

Method: delay (days) = amount of the year-n invoices issued in the complementary period
(1 January – 31 March n+1) / amount of every year-n invoice × 365.

One hospital, year of care 2023:
- AMO, 12 monthly invoices of 100 000 €, care at the end of each month, issued 20 days
  later: only December's (issued 20/01/2024) falls in the window.
  AMO: 100 000 / 1 200 000 × 365 = 30.416 666… days.
- AMC, 4 quarterly invoices of 30 000 €: Q1 issued 15/05/2023, Q2 15/08/2023, Q3 (care
  30/09/2023) 10/01/2024, Q4 (care 31/12/2023) 15/02/2024: Q3 and Q4 in the window.
  AMC: 60 000 / 120 000 × 365 = 182.5 days.
- PATIENT, one invoice of 10 000 € (care 15/11/2023) issued 15/04/2024: after the window,
  in the denominator only — the literal method does not see it as late.
  PATIENT: 0 / 10 000 × 365 = 0 days.
- All debtors: (100 000 + 60 000 + 0) / (1 200 000 + 120 000 + 10 000) × 365
  = 160 000 / 1 330 000 × 365 = 43.909 774… days.
"""

import datetime as dt

import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.facturation import INVOICES

from support import FIXTURES

FINESS = "010000065"  # CH de Trévoux (registry extract of the fixtures)
CODES = ["EFF_DELAI_FACTURATION", "EFF_DELAI_FACT_AMO", "EFF_DELAI_FACT_AMC"]
CODES += ["EFF_DELAI_FACT_PATIENT"]


def _line(number, debtor, care: dt.date, issued: dt.date, amount: str) -> str:
    cells = [FINESS, number, debtor, f"{care:%d/%m/%Y}", f"{issued:%d/%m/%Y}", "", amount]
    return ";".join([*cells, "", "", "", ""])


def _invoices() -> list[str]:
    lines = []
    for month in range(1, 13):
        end = dt.date(2023, month + 1, 1) - dt.timedelta(days=1) if month < 12 else None
        end = end or dt.date(2023, 12, 31)
        lines.append(_line(f"AMO-{month}", "AMO", end, end + dt.timedelta(days=20), "100 000,00"))
    quarters = [
        (dt.date(2023, 3, 31), dt.date(2023, 5, 15)),
        (dt.date(2023, 6, 30), dt.date(2023, 8, 15)),
        (dt.date(2023, 9, 30), dt.date(2024, 1, 10)),
        (dt.date(2023, 12, 31), dt.date(2024, 2, 15)),
    ]
    for index, (care, issued) in enumerate(quarters, start=1):
        lines.append(_line(f"AMC-T{index}", "AMC", care, issued, "30000"))
    lines.append(_line("PAT-1", "PATIENT", dt.date(2023, 11, 15), dt.date(2024, 4, 15), "10000"))
    return lines


@pytest.fixture(scope="module")
def values(tmp_path_factory):
    from hospiscope.warehouse import Warehouse

    directory = tmp_path_factory.mktemp("anap")
    path = directory / "factures-2023.csv"
    text = "\r\n".join([";".join(INVOICES.header), *_invoices()]) + "\r\n"
    path.write_text(text, encoding="utf-8-sig")
    with Warehouse(directory / "entrepot.duckdb") as wh:
        pipeline.import_registry(wh, FIXTURES / "finess" / "etalab-extrait.csv")
        pipeline.import_tabular(wh, "factures", path)
        compute_indicators(wh, CODES)
        rows = wh.con.execute(
            """SELECT indicator_code, entity_kind, value, numerator, denominator FROM results
            WHERE period = '2023' AND entity_kind IN ('etablissement', 'national')"""
        ).fetchall()
    return {(code, kind): (value, num, den) for code, kind, value, num, den in rows}


@pytest.mark.parametrize(
    ("code", "numerator", "denominator", "days"),
    [
        ("EFF_DELAI_FACT_AMO", 100_000, 1_200_000, 100_000 / 1_200_000 * 365),  # 30.42
        ("EFF_DELAI_FACT_AMC", 60_000, 120_000, 182.5),
        ("EFF_DELAI_FACT_PATIENT", 0, 10_000, 0.0),
        ("EFF_DELAI_FACTURATION", 160_000, 1_330_000, 160_000 / 1_330_000 * 365),  # 43.91
    ],
)
def test_hand_computed_delays(values, code, numerator, denominator, days):
    for kind in ("etablissement", "national"):  # one establishment: the nation is it
        value, num, den = values[(code, kind)]
        assert (num, den) == (numerator, denominator)
        assert value == pytest.approx(days, abs=1e-9)


def test_written_figures():
    amo, overall = 100_000 / 1_200_000 * 365, 160_000 / 1_330_000 * 365
    assert (round(amo, 4), round(overall, 4)) == (30.4167, 43.9098)
