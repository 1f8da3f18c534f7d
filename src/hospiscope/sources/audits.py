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
    code: str  # value of the `indicateur` column (hospiscope code)
    sector: str  # CA | MCO | HAD | PSY
    label: str  # French
    numerator: str  # French: what a compliant record is


SECTORS = {
    "CA": "chirurgie ambulatoire",
    "MCO": "médecine, chirurgie, obstétrique",
    "HAD": "hospitalisation à domicile",
    "PSY": "psychiatrie adulte à temps plein",
}
INDICATORS: dict[str, AuditIndicator] = {
    i.code: i
    for i in (
        AuditIndicator(
            "CA_QLS",
            "CA",
            "Qualité de la lettre de liaison à la sortie",
            "Dossiers dont la lettre de liaison à la sortie est conforme",
        ),
        AuditIndicator(
            "CA_DOULEUR",
            "CA",
            "Anticipation de la prise en charge de la douleur",
            "Patients ayant reçu une ordonnance d'antalgiques avant l'admission",
        ),
        AuditIndicator(
            "CA_ELIGIBILITE",
            "CA",
            "Évaluation de l'éligibilité à l'admission",
            "Dossiers où l'éligibilité du patient à la chirurgie ambulatoire est évaluée",
        ),
        AuditIndicator(
            "CA_CONTACT",
            "CA",
            "Contact entre la structure et le patient entre J+1 et J+3",
            "Patients contactés par la structure entre J+1 et J+3 après l'intervention",
        ),
        AuditIndicator(
            "MCO_QLS",
            "MCO",
            "Qualité de la lettre de liaison à la sortie",
            "Dossiers dont la lettre de liaison à la sortie est conforme",
        ),
        AuditIndicator(
            "MCO_PCC",
            "MCO",
            "Bonnes pratiques de précautions complémentaires contact",
            "Dossiers où les précautions complémentaires contact sont conformes "
            "(mise en œuvre et information du patient)",
        ),
        AuditIndicator(
            "HAD_DOSSIER",
            "HAD",
            "Tenue du dossier patient",
            "Dossiers patients conformes",
        ),
        AuditIndicator(
            "HAD_COORDINATION",
            "HAD",
            "Coordination de la prise en charge",
            "Dossiers où la coordination de la prise en charge est conforme",
        ),
        AuditIndicator(
            "PSY_CARDIO",
            "PSY",
            "Évaluation cardio-vasculaire et métabolique",
            "Patients ayant eu une évaluation cardio-vasculaire et métabolique",
        ),
        AuditIndicator(
            "PSY_DIGESTIF",
            "PSY",
            "Évaluation gastro-intestinale",
            "Patients ayant eu une évaluation gastro-intestinale",
        ),
        AuditIndicator(
            "PSY_ADDICTIONS",
            "PSY",
            "Repérage et proposition d'aide à l'arrêt des addictions",
            "Patients repérés et à qui une aide à l'arrêt des addictions a été proposée",
        ),
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
