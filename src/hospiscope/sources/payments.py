"""Payments of an establishment: its supplier invoices paid (global payment delay, regulatory
maximum 50 days for public health establishments) and its monthly social contributions
(due on the 5th of the following month).

No national collection at invoice level exists in our sources: hospiscope reads these two
documented layouts (docs/formats/payments.md), which a finance system (GEF: gestion
économique et financière) and a payroll system can export, and which the demo generator also
writes:

    finess;fournisseur;facture;date_reception;date_service_fait;date_paiement;montant
    finess;annee;mois;organisme;date_echeance;date_paiement;montant

`;`-separated, header line, dates dd/mm/yyyy (ISO accepted), amounts in euros with a decimal
comma accepted.

Supplier invoices: one line per invoice paid (`fournisseur`: the supplier's SIRET or code in
the finance system; `facture`: its invoice number), with the date the invoice (the payment
request) was received, the date the goods or services were delivered when it is later
(`date_service_fait`, may be empty), the payment date and the amount paid (all taxes
included). The delay runs from the later of the two first dates (code de la commande
publique, art. R. 2192-12). A file covers the years of its payment dates.

Social contributions: one line per month of pay and collecting body (URSSAF, CNRACL,
IRCANTEC, complementary pension or provident funds…): `date_echeance` may be empty (the 5th
of the following month then applies), `date_paiement` empty means not paid when the file was
exported (counted as late: export after the last due date of the year).

Both files are per geographic establishment (FINESS ET). Where the accounts or the payroll
are kept by the legal entity (EJ) for several sites, the EJ exports its lines under the ET of
each site they concern, or all of them under its main ET (the result then covers the EJ):
documented in docs/formats/payments.md.
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

SUPPLIER_TABLE = "supplier_payments"
CONTRIBUTIONS_TABLE = "social_contributions"
SUPPLIERS = Layout(
    name="paiements-fournisseurs",
    label="factures fournisseurs payées",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("fournisseur", "supplier", "text"),
        Field("facture", "invoice_id", "text"),
        Field("date_reception", "received_on", "date"),
        Field("date_service_fait", "service_done_on", "date", required=False),
        Field("date_paiement", "paid_on", "date"),
        Field("montant", "amount", "decimal", minimum=0),
    ),
    key=("finess_et", "supplier", "invoice_id"),
)
CONTRIBUTIONS = Layout(
    name="cotisations-sociales",
    label="cotisations sociales",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("annee", "year", "year"),
        Field("mois", "month", "count", minimum=1, maximum=12),
        Field("organisme", "body", "text"),
        Field("date_echeance", "due_on", "date", required=False),
        Field("date_paiement", "paid_on", "date", required=False),
        Field("montant", "amount", "decimal", minimum=0),
    ),
    key=("finess_et", "year", "month", "body"),
)
SUPPLIERS_HEADER = SUPPLIERS.header
CONTRIBUTIONS_HEADER = CONTRIBUTIONS.header
# A file covers its establishments and years: a second file for the same establishment and
# year replaces the first only with --remplace; the files of two establishments never collide.
IMPORTS = (
    TabularImport(
        "paiements-fournisseurs",
        "supplier_payments",
        SUPPLIERS,
        SUPPLIER_TABLE,
        "Factures fournisseurs payées (réception, service fait, paiement, montant), par "
        "établissement.",
        scope=(("finess_et", "établissement"), ("year(paid_on)", "année de paiement")),
    ),
    TabularImport(
        "cotisations-sociales",
        "social_contributions",
        CONTRIBUTIONS,
        CONTRIBUTIONS_TABLE,
        "Cotisations sociales mensuelles (échéance, date de paiement, montant), par "
        "établissement et organisme.",
        scope=(("finess_et", "établissement"), ("year", "année")),
    ),
)


def suppliers_file_name(year: int) -> str:
    return f"paiements-fournisseurs-{year}.csv"


def contributions_file_name(year: int) -> str:
    return f"cotisations-sociales-{year}.csv"
