"""The raw recommendation rate of an e-Satis questionnaire (open-data column
`taux_reco_brut`): share of respondents who would *certainly* recommend the establishment,
among complete questionnaires of validated submissions that answered the question
(the pooling assumption of every e-Satis file). Not case-mix adjusted."""

from __future__ import annotations

import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.definitions._esatis_common import (
    pandas_validated,
    pandas_with_participation,
    validated,
    with_participation,
)
from hospiscope.catalogue.model import Indicator, IndicatorMeta
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES

CERTAINLY = 4
# Metadata shared by the recommendation rates, merged under each file's META (loader.py).
DEFAULTS = {
    "domain": "experience_patient",
    "kind": "rate",
    "factor": 100.0,
    "min_sample": 30,
    "statuses": (
        {"code": "DI", "label": "Données insuffisantes (moins de 30 réponses exploitables)"},
        {"code": "NR", "label": "Non répondant : l'établissement n'a pas participé"},
        {"code": "NV", "label": "Non validé"},
    ),
    "ci_method": "wilson",
    "levels": ("etablissement", "national", "region", "statut", "strate:type", "strate:taille"),
    "period": "campagne e-Satis (année)",
}


def recommendation_indicator(meta: IndicatorMeta, questionnaire: str) -> Indicator:
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

    return Indicator(meta, compute, reference)
