"""Certification of health establishments (HAS): decisions and criteria results.

HAS publishes its decisions per establishment on Qualiscope and in its open-data base (long
layout, keys such as `certification_ref_2021_decision` and
`certification_ref_2021_date_decision`); the criteria results are in each establishment's
report. hospiscope reads two files in its own documented layouts (docs/formats/certification.md),
which the demo generator also writes:

    finess;date_decision;decision;cycle;date_visite
    finess;date_visite;cycle;critere;type_critere;resultat

`;`-separated, header line, dates dd/mm/yyyy (ISO accepted), one line per geographic
establishment (FINESS ET) and decision, or per establishment, visit and criterion. Decision,
criterion, type and result codes are those of `hospiscope.certification`.
"""

from __future__ import annotations

from hospiscope.certification import CRITERIA, CYCLES, CriterionType, Decision, Result
from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

_FIRST_CYCLE, _LAST_CYCLE = min(CYCLES), max(CYCLES)

DECISIONS = Layout(
    name="certification_decisions",
    label="décisions de certification",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("date_decision", "decision_date", "date"),
        Field("decision", "decision", "choice", choices=tuple(Decision)),
        Field("cycle", "cycle", "count", minimum=_FIRST_CYCLE, maximum=_LAST_CYCLE),
        Field("date_visite", "visit_date", "date", required=False),
    ),
    key=("finess_et", "decision_date"),
)
CRITERIA_RESULTS = Layout(
    name="certification_criteres",
    label="résultats des critères de certification",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("date_visite", "visit_date", "date"),
        Field("cycle", "cycle", "count", minimum=_FIRST_CYCLE, maximum=_LAST_CYCLE),
        Field("critere", "criterion", "choice", choices=tuple(c.code for c in CRITERIA)),
        Field("type_critere", "criterion_type", "choice", choices=tuple(CriterionType)),
        Field("resultat", "result", "choice", choices=tuple(Result)),
    ),
    key=("finess_et", "visit_date", "criterion"),
)
IMPORTS = (
    TabularImport(
        "certification-decisions",
        "certification_decisions",
        DECISIONS,
        "certification_decisions",
        "Décisions de certification de la HAS par établissement et par date.",
        scope=(("year(decision_date)", "année de décision"),),
    ),
    TabularImport(
        "certification-criteres",
        "certification_criteria",
        CRITERIA_RESULTS,
        "certification_criteria",
        "Résultats des critères de certification par établissement et par visite.",
        scope=(("year(visit_date)", "année de visite"),),
    ),
)
