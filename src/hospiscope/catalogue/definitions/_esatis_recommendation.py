"""The raw recommendation rate of an e-Satis questionnaire (open-data column
`taux_reco_brut`): share of respondents who would *certainly* recommend the establishment,
among complete questionnaires of validated submissions that answered the question
(_esatis_common.POOLING_RULE). Not case-mix adjusted."""

from __future__ import annotations

import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.definitions._common import ESATIS_LEVELS, ESATIS_STATUSES, REVIEW_2026
from hospiscope.catalogue.definitions._esatis_common import (
    PARTICIPATION,
    POOLING_RULE,
    pandas_validated,
    pandas_with_participation,
    validated,
    with_participation,
)
from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES

CERTAINLY = 4
ASSUMPTION = (
    "Définition supposée du taux de recommandation brut : part des réponses "
    "« certainement » parmi les questionnaires complets ayant répondu à la question."
)


def recommendation_indicator(code: str, questionnaire: str, short: str) -> Indicator:
    table = QUESTIONNAIRES[questionnaire].table

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        r = validated(tables[table], tables, questionnaire)
        usable = r.filter(r.complete & r.recommendation.notnull())
        aggregated = usable.group_by(
            entity_id=usable.finess_et, period=usable.campaign.cast("string")
        ).aggregate(
            numerator=(usable.recommendation == CERTAINLY).cast("int64").sum(),
            denominator=usable.count(),
        )
        return with_participation(aggregated, tables, questionnaire)

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        r = pandas_validated(frames[table], frames, questionnaire)
        usable = r[r["complete"].astype(bool) & r["recommendation"].notna()].copy()
        usable["certainly"] = (usable["recommendation"] == CERTAINLY).astype("int64")
        grouped = usable.groupby(["finess_et", "campaign"], as_index=False).agg(
            numerator=("certainly", "sum"), denominator=("certainly", "size")
        )
        grouped["period"] = grouped["campaign"].astype(str)
        grouped = grouped.rename(columns={"finess_et": "entity_id"})[
            ["entity_id", "period", "numerator", "denominator"]
        ]
        return pandas_with_participation(grouped, frames, questionnaire)

    meta = IndicatorMeta(
        code=code,
        label=f"Taux de recommandation de l'établissement — {short}",
        short_label=f"Recommandation ({short})",
        domain="experience_patient",
        kind="rate",
        unit="%",
        numerator="Patients qui recommanderaient « certainement » l'établissement",
        denominator="Questionnaires complets ayant répondu à la question de recommandation",
        factor=100,
        direction=Direction.HIGHER_IS_BETTER,
        min_sample=30,
        statuses=ESATIS_STATUSES,
        ci_method="wilson",
        levels=ESATIS_LEVELS,
        inputs=(table, PARTICIPATION),
        period="campagne e-Satis (année)",
        source_document="HAS, résultats e-Satis open data (colonne taux_reco_brut) ; "
        "dossier de presse IQSS 2024",
        source_section="facts.md §1, e-Satis",
        # 1.1: NR / NV statuses from participation files; 1.2: responses of NV submissions
        # left out (POOLING_RULE)
        method_version="1.2",
        assumptions=(ASSUMPTION, POOLING_RULE),
        review=REVIEW_2026,
        headline=True,
    )
    return Indicator(meta, compute, reference)
