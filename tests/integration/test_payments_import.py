"""Supplier invoice and social contribution files (hospiscope's documented layouts): typed
storage of real-layout extracts (UTF-8 with BOM, CRLF, thousands spaces, decimal comma, ISO
and French dates, empty optional dates), computed end to end; another establishment's file,
replacement; broken files refused with every problem named (file, line, column) and the
warehouse unchanged; --skip-invalid."""

import datetime as dt
import json

import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

SUPPLIERS = FIXTURES / "payments" / "paiements-fournisseurs-2024-extrait.csv"
CONTRIBUTIONS = FIXTURES / "payments" / "cotisations-sociales-2024-extrait.csv"
BROKEN = FIXTURES / "payments" / "broken"
SUPPLIERS_HEADER = (
    "finess;fournisseur;facture;date_reception;date_service_fait;date_paiement;montant"
)


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def payments(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "paiements-fournisseurs", path, **options)


def contributions(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "cotisations-sociales", path, **options)


def results(warehouse, code):
    frame = warehouse.con.execute(
        """SELECT entity_kind, entity_id, period, numerator, denominator, value, ci_low, ci_high,
        ci_method, details FROM results WHERE indicator_code = ?""",
        [code],
    ).fetchdf()
    return frame.set_index(["entity_kind", "entity_id"])


def test_supplier_invoices_are_stored_typed(registry):
    outcome = payments(registry, SUPPLIERS)
    assert outcome.written.rows_accepted == 6 and outcome.written.layout == "paiements-fournisseurs"
    rows = registry.con.execute(
        """SELECT supplier, invoice_id, received_on, service_done_on, paid_on, amount
        FROM supplier_payments WHERE finess_et = '010000065' ORDER BY paid_on"""
    ).fetchall()
    assert rows[0] == (
        "PHARMA-SUD",
        "11999",
        dt.date(2023, 12, 1),
        None,
        dt.date(2024, 1, 20),
        1500.0,
    )
    assert (
        "40483304800022",
        "FA-2024-0001",
        dt.date(2024, 1, 10),
        None,
        dt.date(2024, 3, 10),
        1000.0,
    ) in rows
    assert ("EDF", "2024-07", dt.date(2024, 7, 1), None, dt.date(2024, 6, 25), 500.0) in rows


def test_payment_delay_end_to_end(registry):
    payments(registry, SUPPLIERS)
    compute_indicators(registry, ["EFF_DELAI_PAIEMENT"])
    out = results(registry, "EFF_DELAI_PAIEMENT")
    # 60 d × 1 000 + 30 d (from delivery) × 3 000 + 30 d × 2 000 + 0 d (paid before receipt)
    # × 500 + 50 d × 1 500 (received in December 2023, paid in 2024) = 285 000 / 8 000 €.
    one = out.loc[("etablissement", "010000065")]
    assert (one["period"], one["numerator"], one["denominator"]) == ("2024", 285000, 8000)
    assert one["value"] == pytest.approx(35.625)
    assert out.loc[("etablissement", "010000115"), "value"] == pytest.approx(90.0)
    national = out.loc[("national", "FR")]
    assert national["value"] == pytest.approx((285000 + 36000) / 8400)


def test_contributions_end_to_end(registry):
    outcome = contributions(registry, CONTRIBUTIONS)
    assert outcome.written.rows_accepted == 8
    stored = registry.con.execute(
        """SELECT year, month, body, due_on, paid_on, amount FROM social_contributions
        WHERE month = 12 ORDER BY body"""
    ).fetchall()
    assert stored == [
        (2024, 12, "CNRACL", None, None, 605000.0),  # not paid when exported: late
        (2024, 12, "URSSAF", None, dt.date(2025, 1, 3), 830000.0),
    ]
    compute_indicators(registry, ["EFF_COTISATIONS_ECHEANCE"])
    out = results(registry, "EFF_COTISATIONS_ECHEANCE")
    one = out.loc[("etablissement", "010000065")]
    assert (one["numerator"], one["denominator"]) == (4, 7)
    assert one["value"] == pytest.approx(400 / 7)
    assert one["ci_method"] == "Wilson" and one["ci_low"] < one["value"] < one["ci_high"]
    # What the money step reads: February's URSSAF paid 6 days early (812 000 €), February's
    # CNRACL a day late and December's not paid.
    details = json.loads(one["details"])
    assert details["cotisations_en_avance"] == 1 and details["cotisations_en_retard"] == 2
    assert details["montant_jours_avance"] == pytest.approx(812000 * 6)
    assert details["montant_cotisations"] == pytest.approx(5076345.67)
    assert out.loc[("national", "FR"), "value"] == pytest.approx(500 / 8)


def test_another_establishment_and_replacement(registry, tmp_path):
    payments(registry, SUPPLIERS)
    other = tmp_path / "autre.csv"
    other.write_text(
        f"{SUPPLIERS_HEADER}\r\n010009314;F1;1;02/01/2024;;01/02/2024;10\r\n", encoding="utf-8"
    )
    payments(registry, other)  # another establishment, the same year: no collision
    assert registry.count("supplier_payments") == 7
    corrected = tmp_path / "corrige.csv"
    corrected.write_text(
        f"{SUPPLIERS_HEADER}\r\n010000065;F1;1;02/01/2024;;01/02/2024;10\r\n", encoding="utf-8"
    )
    with pytest.raises(InvalidFile, match=r"établissement 010000065, année de paiement 2024"):
        payments(registry, corrected)
    payments(registry, corrected, replace=True)
    assert registry.count("supplier_payments") == 3  # 010000065's 2024 replaced whole


def refused(warehouse, importer, name):
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        importer(warehouse, BROKEN / name)
    assert table_fingerprint(warehouse) == before
    assert all(issue.file == name for issue in error.value.issues)
    return [(i.line, i.column, i.reason) for i in error.value.issues]


@pytest.fixture
def loaded(registry):
    """A warehouse already holding payment rows, to show that none of them changes."""
    payments(registry, SUPPLIERS)
    contributions(registry, CONTRIBUTIONS)
    return registry


def test_bad_amounts_and_dates(loaded):
    assert refused(loaded, payments, "paiements-fournisseurs-montant-invalide.csv") == [
        (2, "montant", "nombre attendu, reçu « 1.000,00 »"),
        (3, "montant", "valeur obligatoire absente"),
        (4, "date_paiement", "date invalide (jj/mm/aaaa attendu), reçu « 2024/06/14 »"),
    ]


def test_the_same_invoice_twice(loaded):
    assert refused(loaded, payments, "paiements-fournisseurs-doublon.csv") == [
        (4, "finess", "ligne en double (déjà ligne 2)")
    ]


def test_truncated_line(loaded):
    assert refused(loaded, payments, "paiements-fournisseurs-tronque.csv") == [
        (3, "", "4 champs au lieu de 7 (ligne tronquée ou séparateur incorrect)")
    ]


def test_bad_months_years_and_missing_body(loaded):
    assert refused(loaded, contributions, "cotisations-sociales-mois-invalide.csv") == [
        (2, "mois", "valeur supérieure au maximum (12), reçu « 13 »"),
        (3, "mois", "valeur inférieure au minimum (1), reçu « 0 »"),
        (4, "annee", "année invalide, reçu « 24 »"),
        (5, "organisme", "valeur obligatoire absente"),
    ]


def test_wrong_separator(loaded):
    assert refused(loaded, contributions, "cotisations-sociales-virgules.csv") == [
        (1, "", "en-tête illisible : séparateur « ; » attendu")
    ]


def test_skip_invalid_keeps_the_valid_lines(registry):
    outcome = payments(registry, BROKEN / "paiements-fournisseurs-doublon.csv", skip_invalid=True)
    assert outcome.written.rows_accepted == 2 and outcome.written.rows_read == 3
    assert registry.count("supplier_payments") == 2


def test_a_file_of_many_establishments_is_one_scope(registry, tmp_path):
    """A national or regional file: its scope is each of its establishments' year, and a
    refusal names the first few of them and their count."""
    finess = ["010000065", "010000107", "010000115", "010000214", "010002129", "010008852"]
    lines = [f"{f};F1;1;02/01/2024;;01/02/2024;10" for f in finess]
    first = tmp_path / "national.csv"
    first.write_text("\r\n".join([SUPPLIERS_HEADER, *lines]) + "\r\n", encoding="utf-8")
    payments(registry, first)
    second = tmp_path / "national-corrige.csv"
    second.write_text("\r\n".join([SUPPLIERS_HEADER, *lines[::-1]]) + "\r\n", encoding="utf-8")
    expected = (
        r"établissements 010000065, 010000107, 010000115, 010000214, 010002129… \(6\), "
        r"année de paiement 2024 : données déjà importées"
    )
    with pytest.raises(InvalidFile, match=expected):
        payments(registry, second)
