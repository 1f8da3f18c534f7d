"""Billing and recovery: the invoices an establishment's billing system issues (debtor, date of
the care, date issued, amount, what was recovered and when, rejections), and whether the
establishment consults health-insurance rights with CDRi, for the efficiency indicators of
the billing chain (ANAP 360° audits; IGF/IGAS 2025 Annex XII, facts.md §4).

No national file of invoices exists in our sources: hospiscope reads two documented layouts
(docs/formats/facturation.md), which a billing system (GEF, PASTEL…) can export and the demo
generator also writes:

    finess;numero_facture;debiteur;date_soins;date_emission;nombre_factures;montant;
        date_recouvrement;montant_recouvre;rejetee;motif_rejet
    finess;annee;cdri

Invoices: one line per invoice — or per batch of invoices sharing every other column
(`nombre_factures`, empty = 1); the year of `date_soins` (date of the care, or end of the
stay) is the year the invoice belongs to. A file holds the invoices of one or more
establishments for one or more years of care; a second, different file for the same
(establishment, year of care) is refused unless it replaces it (`--remplace`). CDRi: one line
per establishment and year, reference data that a newer file updates row by row.
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

# Debtor types: compulsory health insurance, complementary insurer (mutuelle), the patient,
# another health establishment (inter-establishment billing, staff made available), other.
AMO, AMC, PATIENT, ESTABLISHMENT, OTHER = "AMO", "AMC", "PATIENT", "ETABLISSEMENT", "AUTRE"
DEBTORS = (AMO, AMC, PATIENT, ESTABLISHMENT, OTHER)

INVOICES_TABLE = "billing_invoices"
CDRI_TABLE = "billing_cdri"
INVOICES = Layout(
    name="factures",
    label="factures (facturation et recouvrement)",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("numero_facture", "invoice_number", "text"),
        Field("debiteur", "debtor", "choice", choices=DEBTORS),
        Field("date_soins", "service_date", "date"),
        Field("date_emission", "issue_date", "date"),
        Field("nombre_factures", "invoice_count", "count", required=False, minimum=1),
        Field("montant", "amount", "decimal", minimum=0),
        Field("date_recouvrement", "recovery_date", "date", required=False),
        Field("montant_recouvre", "recovered_amount", "decimal", required=False, minimum=0),
        Field("rejetee", "rejected", "yesno", required=False),
        Field("motif_rejet", "rejection_reason", "text", required=False),
    ),
    key=("finess_et", "invoice_number"),
)
CDRI = Layout(
    name="cdri",
    label="utilisation de CDRi (consultation des droits intégrée)",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("annee", "year", "year"),
        Field("cdri", "cdri", "yesno"),
    ),
    key=("finess_et", "year"),
)
IMPORTS = (
    TabularImport(
        "factures",
        INVOICES_TABLE,
        INVOICES,
        INVOICES_TABLE,
        "Factures émises par l'établissement (débiteur, dates des soins et d'émission, "
        "montant, recouvrement, rejet), une facture ou un lot de factures par ligne.",
        scope=(("finess_et", "établissement"), ("year(service_date)", "année des soins")),
    ),
    TabularImport(
        "cdri",
        CDRI_TABLE,
        CDRI,
        CDRI_TABLE,
        "Utilisation de CDRi (consultation des droits de l'assurance maladie) par "
        "établissement et par année.",
    ),
)


def invoices_file_name(year: int) -> str:
    return f"factures-{year}.csv"


def cdri_file_name(year: int) -> str:
    return f"cdri-{year}.csv"
