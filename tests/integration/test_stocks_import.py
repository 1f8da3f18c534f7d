"""Stock inventory files (hospiscope's documented layout): typed storage of a real-layout
extract (UTF-8 with BOM, CRLF, thousands spaces, decimal comma, ISO and French dates, a FINESS
number that lost its leading zero), computed end to end (last inventory of the year, DI);
re-import, another establishment's file, replacement; broken files refused with every problem
named (file, line, column) and the warehouse unchanged; --skip-invalid."""

import datetime as dt

import pandas as pd
import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

EXTRACT = FIXTURES / "stocks" / "stocks-2024-extrait.csv"
BROKEN = FIXTURES / "stocks" / "broken"
HEADER = "finess;date_inventaire;famille;valeur_stock;consommation_12_mois"
CODES = ["EFF_STOCK_MEDICAMENTS", "EFF_STOCK_DM", "EFF_STOCK_AUTRES"]


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def stocks(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "stocks", path, **options)


def write(tmp_path, *lines, name="stocks.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8-sig")
    return path


def test_extract_is_stored_typed(registry):
    outcome = stocks(registry, EXTRACT)
    assert outcome.written.rows_accepted == 8
    assert outcome.written.layout == "stocks"
    assert outcome.written.encoding == "UTF-8 avec BOM"
    rows = registry.con.execute(
        """SELECT finess_et, inventory_date, stock_family, stock_value, consumption_12m
        FROM stock_inventories ORDER BY ALL"""
    ).fetchall()
    december = dt.date(2024, 12, 31)
    assert ("010000065", december, "MEDICAMENTS", 1234567.89, 10950000.0) in rows
    assert ("010000115", december, "MEDICAMENTS", 300000.0, 2190000.0) in rows  # "10000115"
    assert ("010000115", december, "DM", 90000.0, None) in rows  # DI: no consumption
    assert ("010000214", december, "MEDICAMENTS", 0.0, 500000.0) in rows  # ISO date
    assert ("970302071", december, "AUTRES", 45000.5, 164250.0) in rows


def test_extract_computed_end_to_end(registry):
    stocks(registry, EXTRACT)
    compute_indicators(registry, CODES)
    out = registry.con.execute(
        """SELECT indicator_code, entity_kind, entity_id, period, numerator, denominator, value,
        ci_low, status FROM results WHERE indicator_code LIKE 'EFF_STOCK_%'"""
    ).fetchdf()
    one = out[out["entity_kind"] == "etablissement"].set_index(["indicator_code", "entity_id"])
    medicines = one.loc[("EFF_STOCK_MEDICAMENTS", "010000065")]
    # December's inventory, not June's: 1 234 567.89 / 10 950 000 × 365 = 41.15 days.
    assert (medicines["numerator"], medicines["denominator"]) == (1234567.89, 10950000.0)
    assert medicines["value"] == pytest.approx(41.152263, abs=1e-6)
    assert pd.isna(medicines["ci_low"])  # accounts of the whole year: no interval
    assert one.loc[("EFF_STOCK_DM", "010000065"), "value"] == pytest.approx(41.2)
    assert one.loc[("EFF_STOCK_AUTRES", "010000065"), "value"] == pytest.approx(98.55)
    assert one.loc[("EFF_STOCK_MEDICAMENTS", "010000115"), "value"] == pytest.approx(50.0)
    assert one.loc[("EFF_STOCK_MEDICAMENTS", "010000214"), "value"] == 0.0
    assert one.loc[("EFF_STOCK_DM", "010000115"), "status"] == "DI"
    assert pd.isna(one.loc[("EFF_STOCK_DM", "010000115"), "value"])
    national = out[(out["entity_kind"] == "national") & (out["indicator_code"] == CODES[0])]
    # (1 234 567.89 + 300 000 + 0) / (10 950 000 + 2 190 000 + 500 000) × 365
    assert national["value"].item() == pytest.approx(1534567.89 / 13640000 * 365)


def test_reimport_other_establishment_and_replacement(registry, tmp_path):
    stocks(registry, EXTRACT)
    before = table_fingerprint(registry)
    assert stocks(registry, EXTRACT).skipped
    assert table_fingerprint(registry) == before
    # Another establishment's own file for the same year is not a second version of the first.
    other = write(tmp_path, "010009314;31/12/2024;MEDICAMENTS;10 000;73 000", name="autre.csv")
    stocks(registry, other)
    assert registry.count("stock_inventories") == 9
    corrected = write(tmp_path, "010000065;31/12/2024;MEDICAMENTS;1 100 000;10 950 000")
    with pytest.raises(InvalidFile, match=r"établissement 010000065, année d'inventaire 2024 .*"):
        stocks(registry, corrected)
    stocks(registry, corrected, replace=True)
    rows = registry.con.execute(
        "SELECT stock_family, stock_value FROM stock_inventories WHERE finess_et = '010000065'"
    ).fetchall()
    assert rows == [("MEDICAMENTS", 1100000.0)]  # the corrected file replaces 2024 whole
    assert registry.count("stock_inventories") == 6


def refused(warehouse, name):
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        stocks(warehouse, BROKEN / name)
    assert table_fingerprint(warehouse) == before
    assert all(issue.file == name for issue in error.value.issues)
    return [(i.line, i.column, i.reason) for i in error.value.issues]


@pytest.fixture
def loaded(registry):
    """A warehouse already holding stock rows, to show that none of them changes."""
    stocks(registry, EXTRACT)
    return registry


def test_unknown_family_and_negative_value(loaded):
    assert refused(loaded, "stocks-famille-inconnue.csv") == [
        (
            3,
            "famille",
            "valeur attendue parmi MEDICAMENTS, DM, AUTRES, reçu « PHARMACIE »",
        ),
        (4, "valeur_stock", "valeur inférieure au minimum (0), reçu « -100 »"),
    ]


def test_bad_date_missing_value_and_text_amount(loaded):
    assert refused(loaded, "stocks-date-invalide.csv") == [
        (2, "date_inventaire", "date invalide (jj/mm/aaaa attendu), reçu « 31/13/2024 »"),
        (3, "valeur_stock", "valeur obligatoire absente"),
        (4, "consommation_12_mois", "nombre attendu, reçu « beaucoup »"),
    ]


def test_missing_column(loaded):
    assert refused(loaded, "stocks-colonne-manquante.csv") == [
        (1, "consommation_12_mois", "colonne attendue absente : consommation_12_mois")
    ]


def test_the_same_inventory_twice_in_windows_1252(loaded):
    assert refused(loaded, "stocks-doublon.csv") == [
        (4, "finess", "ligne en double (déjà ligne 2)")
    ]


def test_skip_invalid_keeps_the_valid_lines(registry):
    outcome = stocks(registry, BROKEN / "stocks-famille-inconnue.csv", skip_invalid=True)
    assert outcome.written.rows_accepted == 1 and outcome.written.rows_read == 3
    assert registry.con.execute(
        "SELECT finess_et, stock_family FROM stock_inventories"
    ).fetchall() == [("010000065", "MEDICAMENTS")]
