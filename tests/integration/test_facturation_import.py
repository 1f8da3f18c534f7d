"""Invoices and the CDRi flag (hospiscope's documented layouts, docs/formats/facturation.md):
typed storage of real-layout extracts (UTF-8 with BOM and CRLF, Windows-1252 and LF, thousands
spaces, decimal commas, batches, empty optional values, a FINESS that lost its leading zero),
every billing indicator computed end to end; re-import, a second establishment's file of the
same year, replacement; broken files refused with file, line, column and reason and the
warehouse unchanged; --skip-invalid; a national file (many establishments) in one pass."""

import json

import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.facturation import INVOICES
from hospiscope.sources.finess.numbers import luhn_check_digit
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

FOLDER = FIXTURES / "facturation"
EXTRACT = FOLDER / "factures-2023-extrait.csv"
WINDOWS = FOLDER / "factures-2024-windows-1252.csv"
CDRI = FOLDER / "cdri-2023.csv"
BROKEN = FOLDER / "broken"
HEADER = ";".join(INVOICES.header)
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


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def invoices(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "factures", path, **options)


def write(tmp_path, *lines, name="factures.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8-sig")
    return path


def test_extract_is_stored_typed(registry):
    outcome = invoices(registry, EXTRACT)
    assert outcome.written.rows_accepted == 14
    assert (outcome.written.layout, outcome.written.encoding) == ("factures", "UTF-8 avec BOM")
    rows = {  # invoice numbers are unique per establishment: those of 010000065
        r[1]: r
        for r in registry.con.execute(
            """SELECT finess_et, invoice_number, debtor, service_date::VARCHAR,
            issue_date::VARCHAR, invoice_count, amount, recovery_date::VARCHAR,
            recovered_amount, rejected, rejection_reason FROM billing_invoices
            WHERE finess_et <> '010000107'"""
        ).fetchall()
    }
    assert rows["AMO-2023-0001"][3:] == (
        "2023-01-31",
        "2023-02-20",
        412,
        125430.5,  # "125 430,50"
        "2023-03-05",
        125430.5,
        False,
        None,
    )
    assert rows["AMO-2023-0002"][-2:] == (True, "Droits AMO non ouverts")
    assert rows["ETB-2023-S2"][5] is None  # an empty count: one invoice
    assert rows["PAT-2023-0002"][7:10] == (None, None, None)  # nothing recovered, flag empty
    assert rows["F-2023-000002"][7] == "2024-06-30"  # an ISO date is accepted
    finess = registry.con.execute(
        "SELECT DISTINCT finess_et FROM billing_invoices ORDER BY 1"
    ).fetchall()
    assert finess == [("010000065",), ("010000107",), ("2A0000022",)]  # leading zero restored


def test_windows_1252_and_cdri(registry):
    outcome = invoices(registry, WINDOWS)
    assert outcome.written.encoding == "Windows-1252"
    reason = registry.con.execute(
        "SELECT rejection_reason FROM billing_invoices WHERE rejected"
    ).fetchall()
    assert reason == [("Droits échus à la date des soins",)]
    flags = pipeline.import_tabular(registry, "cdri", CDRI)
    assert flags.written.rows_accepted == 3
    assert registry.con.execute(
        "SELECT finess_et, year, cdri FROM billing_cdri ORDER BY 1"
    ).fetchall() == [
        ("010000065", 2023, True),
        ("010000107", 2023, False),
        ("2A0000022", 2023, False),
    ]


@pytest.fixture
def computed(registry):
    invoices(registry, EXTRACT)
    pipeline.import_tabular(registry, "cdri", CDRI)
    compute_indicators(registry, CODES)
    frame = registry.con.execute(
        "SELECT * FROM results WHERE period = '2023' AND entity_kind = 'etablissement'"
    ).fetchdf()
    return frame.set_index(["indicator_code", "entity_id"])


@pytest.mark.parametrize(
    ("code", "finess", "numerator", "denominator", "value"),
    [
        # 131 220 (AMO, 25/01/2024) + 19 950 (AMC, 28/02/2024) + 48 000 (other establishment,
        # 15/02/2024) over every amount but the rejected batch: 360 410,50 → 201.7 days.
        ("EFF_DELAI_FACTURATION", "010000065", 199_170, 360_410.5, 199_170 / 360_410.5 * 365),
        ("EFF_DELAI_FACT_AMO", "010000065", 131_220, 259_360.5, 131_220 / 259_360.5 * 365),
        ("EFF_DELAI_FACT_AMC", "010000065", 19_950, 38_350, 19_950 / 38_350 * 365),
        ("EFF_DELAI_FACT_PATIENT", "010000065", 0, 11_200, 0.0),  # issued on 15 April
        ("EFF_DELAI_FACT_INTER", "010000065", 48_000, 48_000, 365.0),  # a half-year billed late
        ("EFF_DELAI_FACT_AMO", "010000107", 38_000, 78_000, 38_000 / 78_000 * 365),
        ("EFF_TAUX_REJET", "010000065", 9, 828, 9 / 828 * 100),  # 412 + 9 + 9 + 398 sent
        ("EFF_TAUX_REJET", "010000107", 0, 230, 0.0),
        ("EFF_RECOUVREMENT_AMC_6M", "010000065", 18_400, 38_350, 18_400 / 38_350 * 100),
        ("EFF_RECOUVREMENT_AMC_6M", "2A0000022", 320, 320, 100.0),  # recovered on 30 June
        ("EFF_CREANCES_PATIENT", "010000065", 6_000, 11_200, 6_000 / 11_200 * 100),
    ],
)
def test_extract_computed_end_to_end(computed, code, finess, numerator, denominator, value):
    row = computed.loc[(code, finess)]
    assert (row["numerator"], row["denominator"]) == pytest.approx((numerator, denominator))
    assert row["value"] == pytest.approx(value)


def test_rejection_details_name_the_mean_of_its_kind(computed):
    with_cdri = json.loads(computed.loc[("EFF_TAUX_REJET", "010000065"), "details"])
    assert with_cdri["cdri"] == "oui" and with_cdri["reference_moyenne_pct"] == 1.29
    without = json.loads(computed.loc[("EFF_TAUX_REJET", "010000107"), "details"])
    assert without["cdri"] == "non" and without["reference_moyenne_pct"] == 3.59
    assert computed.loc[("EFF_TAUX_REJET", "010000065"), "class"] == "sous_moyenne_cdri"


def test_reimport_another_establishment_and_replacement(registry, tmp_path):
    invoices(registry, EXTRACT)
    before = table_fingerprint(registry)
    assert invoices(registry, EXTRACT).skipped
    assert table_fingerprint(registry) == before
    # Another establishment's export of the same year is its own campaign: accepted.
    other = write(tmp_path, "010000115;X-1;AMO;31/01/2023;20/02/2023;3;900;;;non;", name="b.csv")
    assert invoices(registry, other).written.rows_accepted == 1
    corrected = write(
        tmp_path, "2A0000022;F-2023-000001;AMO;15/12/2023;02/01/2024;1;1 300,00;;;non;"
    )
    with pytest.raises(InvalidFile, match=r"établissement 2A0000022, année des soins 2023 .*"):
        invoices(registry, corrected)
    invoices(registry, corrected, replace=True)
    rows = registry.con.execute(
        "SELECT invoice_number, amount FROM billing_invoices WHERE finess_et = '2A0000022'"
    ).fetchall()
    assert rows == [("F-2023-000001", 1300.0)]  # both lines of (2A0000022, 2023) replaced
    assert registry.count("billing_invoices") == 12 + 1 + 1


def refused(warehouse, name, command="factures"):
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        pipeline.import_tabular(warehouse, command, BROKEN / name)
    assert table_fingerprint(warehouse) == before
    assert all(issue.file == name for issue in error.value.issues)
    return [(i.line, i.column, i.reason) for i in error.value.issues]


@pytest.fixture
def loaded(registry):
    """A warehouse already holding invoices, to show that none of them changes."""
    invoices(registry, EXTRACT)
    return registry


EXPECTED_ISSUES = {
    "factures-virgules.csv": [(1, "", "en-tête illisible : séparateur « ; » attendu")],
    "factures-colonne-manquante.csv": [
        (1, "date_emission", "colonne attendue absente : date_emission")
    ],
    "factures-date-invalide.csv": [
        (3, "date_soins", "date invalide (jj/mm/aaaa attendu), reçu « 31/02/2023 »"),
        (4, "date_emission", "date invalide (jj/mm/aaaa attendu), reçu « 2023/03/20 »"),
        (5, "date_recouvrement", "date invalide (jj/mm/aaaa attendu), reçu « le 05/04/2023 »"),
    ],
    "factures-debiteur-inconnu.csv": [
        (
            3,
            "debiteur",
            "valeur attendue parmi AMO, AMC, PATIENT, ETABLISSEMENT, AUTRE, reçu « MUTUELLE »",
        ),
        (
            4,
            "debiteur",
            "valeur attendue parmi AMO, AMC, PATIENT, ETABLISSEMENT, AUTRE, reçu « amc »",
        ),
    ],
    "factures-montant-negatif.csv": [
        (3, "montant", "valeur inférieure au minimum (0), reçu « -120,50 »"),
        (4, "montant_recouvre", "valeur inférieure au minimum (0), reçu « -5 »"),
        (5, "montant", "nombre attendu, reçu « 80 € »"),
    ],
    "factures-nombre-invalide.csv": [
        (3, "nombre_factures", "valeur inférieure au minimum (1), reçu « 0 »"),
        (4, "nombre_factures", "nombre entier positif attendu, reçu « 2,5 »"),
    ],
    "factures-doublon.csv": [(3, "finess", "ligne en double (déjà ligne 2)")],
    "factures-rejet-invalide.csv": [(3, "rejetee", "oui ou non attendu, reçu « rejetée »")],
    "factures-tronque.csv": [
        (3, "", "5 champs au lieu de 11 (ligne tronquée ou séparateur incorrect)")
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ISSUES))
def test_broken_invoice_files_are_refused(loaded, name):
    assert refused(loaded, name) == EXPECTED_ISSUES[name]


def test_broken_cdri_file_is_refused(loaded):
    issues = refused(loaded, "cdri-invalide.csv", "cdri")
    assert [(line, column) for line, column, _ in issues] == [
        (2, "cdri"),
        (3, "annee"),
        (4, "finess"),
    ]
    assert issues[0][2] == "oui ou non attendu, reçu « peut-être »"


def test_skip_invalid_keeps_the_valid_lines(registry):
    outcome = invoices(registry, BROKEN / "factures-montant-negatif.csv", skip_invalid=True)
    assert (outcome.written.rows_accepted, outcome.written.rows_read) == (1, 4)
    assert registry.con.execute("SELECT invoice_number FROM billing_invoices").fetchall() == [
        ("AMO-2023-0001",)
    ]


def _finess(n: int) -> str:
    body = f"0100{n:04d}"
    return body + luhn_check_digit(body)


def test_a_national_file_in_one_pass_and_its_many_campaigns(registry, tmp_path):
    """Hundreds of establishments in one file (the demo writes one file per year): the
    one-pass import, and a correction refused with a short label of its campaigns."""
    lines = [
        f"{_finess(n)};F-{week};AMO;{1 + week % 28:02d}/0{1 + week % 9}/2023;15/10/2023;"
        f"12;1 234,50;;;non;"
        for n in range(300)
        for week in range(4)
    ]
    path = write(tmp_path, *lines, name="national.csv")
    assert path.stat().st_size > 64 * 1024  # the fast path's threshold
    assert invoices(registry, path).written.rows_accepted == 1200
    changed = write(tmp_path, *[line.replace("1 234,50", "1 234,60") for line in lines])
    with pytest.raises(InvalidFile) as error:
        invoices(registry, changed)
    [issue] = error.value.issues
    assert "établissements 010000008, 010000016, " in issue.reason
    assert "… (300)" in issue.reason  # the first ones named, then the count
    assert len(issue.reason) < 400
    invoices(registry, changed, replace=True)
    assert registry.con.execute("SELECT DISTINCT amount FROM billing_invoices").fetchall() == [
        (1234.6,)
    ]
