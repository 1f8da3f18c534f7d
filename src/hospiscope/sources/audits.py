"""Record audits: the HAS process indicators measured by auditing a random sample of patient
records per establishment (QUALHAS-like campaigns: discharge letter, pain anticipation,
HAD patient record, somatic care in psychiatry, contact precautions…).

The real QUALHAS export is not in our sources; hospiscope reads this documented layout
(docs/formats/audits.md), one line per audited record and indicator, which the demo also
writes:

    finess;campagne;indicateur;dossier;conforme

`campagne` is the year of the HAS campaign that publishes the result (psychiatry and contact
precautions of campaign 2024 audit records of 2023); `dossier` the record's order number in
the audit sample (1–9999, never a patient identifier); `conforme` is `oui`, `non`, or `NA`
when the record is excluded from the indicator (not eligible, criterion not applicable).
"""

from __future__ import annotations

from dataclasses import dataclass

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

EXCLUDED = "NA"
OUTCOMES = ("oui", "non", EXCLUDED)
MAX_RECORD_NUMBER = 9999  # a longer number looks like a patient identifier: refused


@dataclass(frozen=True)
class AuditIndicator:
    """A code of the `indicateur` column and its sector. Labels and numerator wording are the
    indicator's metadata: catalogue/definitions/audit_<code>.py."""

    code: str  # value of the `indicateur` column (hospiscope code)
    sector: str  # CA | MCO | HAD | PSY


SECTORS = {
    "CA": "chirurgie ambulatoire",
    "MCO": "médecine, chirurgie, obstétrique",
    "HAD": "hospitalisation à domicile",
    "PSY": "psychiatrie adulte à temps plein",
}
INDICATORS: dict[str, AuditIndicator] = {
    i.code: i
    for i in (
        AuditIndicator("CA_QLS", "CA"),
        AuditIndicator("CA_DOULEUR", "CA"),
        AuditIndicator("CA_ELIGIBILITE", "CA"),
        AuditIndicator("CA_CONTACT", "CA"),
        AuditIndicator("MCO_QLS", "MCO"),
        AuditIndicator("MCO_PCC", "MCO"),
        AuditIndicator("HAD_DOSSIER", "HAD"),
        AuditIndicator("HAD_COORDINATION", "HAD"),
        AuditIndicator("PSY_CARDIO", "PSY"),
        AuditIndicator("PSY_DIGESTIF", "PSY"),
        AuditIndicator("PSY_ADDICTIONS", "PSY"),
    )
}

LAYOUT = Layout(
    name="dossiers-audites",
    label="dossiers audités (indicateurs de processus)",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("campagne", "campaign", "year"),
        Field("indicateur", "indicator", "choice", choices=tuple(INDICATORS)),
        Field("dossier", "record_number", "count", minimum=1, maximum=MAX_RECORD_NUMBER),
        Field("conforme", "outcome", "choice", choices=OUTCOMES),
    ),
    key=("finess_et", "campaign", "indicator", "record_number"),
)
HEADER = LAYOUT.header
TABLE = "audit_records"
IMPORTS = (
    TabularImport(
        "audits",
        "audit_records",
        LAYOUT,
        TABLE,
        "Dossiers audités des indicateurs de processus (un dossier par ligne et indicateur).",
        scope=(("campaign", "campagne"),),
    ),
)


def file_name(campaign: int) -> str:
    return f"dossiers-audites-{campaign}.csv"
