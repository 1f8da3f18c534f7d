"""Process indicators from record audits (QUALHAS-like): the share of compliant records among
the audited records that are not excluded, per establishment and campaign. One factory, one
small file per indicator (`audit_*.py`).

Choices (HAS's own rules are not in our sources, facts.md §1 and anchors.md §3.2):
- CI: exact Clopper–Pearson. Samples are small (30–80 records) and some rates are close to
  100 % (HAD 89 %); the exact interval never covers less than its nominal level, so an
  establishment is placed "below" the national value (POSITION_RULE: CI entirely below) with
  a risk of error of at most 2.5 % — the cautious choice for a public judgement. Wilson's
  interval is shorter but its coverage dips under 95 % for some (p, n).
- Minimum sample: MIN_SAMPLE evaluable records (DI below), a labelled assumption.
- Target: none by default (no objective is published in our sources); `audit_indicator(...,
  target=…)` sets one, always labelled a hospiscope assumption.
- Aggregates pool records: national value = Σ compliant / Σ evaluable records.
"""

from __future__ import annotations

import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.definitions._common import REVIEW_2026
from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta, Status
from hospiscope.sources.audits import EXCLUDED, INDICATORS, SECTORS, TABLE

COMPLIANT = "oui"
MIN_SAMPLE = 30  # hypothèse hospiscope: HAS's DI rule for record audits is not in our sources
LEVELS = ("etablissement", "national", "region", "statut", "strate:type", "strate:taille")
# Campaigns whose audited records are those of the year before (HAS-2024: "données 2023").
PREVIOUS_YEAR_SECTORS = ("PSY",)
PREVIOUS_YEAR_INDICATORS = ("MCO_PCC",)

LAYOUT_ASSUMPTION = (
    "Format d'entrée hospiscope (un dossier audité par ligne, jugé conforme ou non par la "
    "grille d'audit) : l'export QUALHAS réel n'est pas dans nos sources."
)
POOLING_ASSUMPTION = (
    "Valeurs nationale, régionales et par groupe : dossiers conformes / dossiers évaluables "
    "de tous les établissements réunis (règle hospiscope, le calcul HAS de la moyenne "
    "nationale n'étant pas dans nos sources)."
)
NO_TARGET = (
    "Aucun objectif : aucun objectif de performance n'est publié dans nos sources (l'objectif "
    "de 80 % parfois cité n'y est pas vérifié) ; position par rapport à la valeur nationale."
)
CI_CHOICE = (
    "Intervalle de confiance exact (Clopper-Pearson), choix hospiscope : la règle HAS n'est "
    "pas dans nos sources."
)


def di_status(min_sample: int) -> Status:
    return Status(
        code="DI",
        label=f"Données insuffisantes (moins de {min_sample} dossiers évaluables)",
    )


def di_assumption(min_sample: int) -> str:
    return (
        f"Seuil de données insuffisantes (DI) : moins de {min_sample} dossiers évaluables "
        "(hypothèse hospiscope, la règle HAS n'étant pas dans nos sources)."
    )


def target_assumption(target: float) -> str:
    return (
        f"Objectif de {target:g} % : hypothèse hospiscope, aucun objectif de cet indicateur "
        "n'étant publié dans nos sources."
    )


def audited_rates(records: ir.Table, indicator: str) -> ir.Table:
    """Compliant / evaluable records per establishment and campaign; an establishment whose
    records are all excluded stays, with a zero denominator (hence DI)."""
    r = records.filter(records.indicator == indicator)
    return r.group_by(entity_id=r.finess_et, period=r.campaign.cast("string")).aggregate(
        numerator=(r.outcome == COMPLIANT).cast("int64").sum(),
        denominator=(r.outcome != EXCLUDED).cast("int64").sum(),
    )


def pandas_audited_rates(records: pd.DataFrame, indicator: str) -> pd.DataFrame:
    r = records[records["indicator"] == indicator]
    r = r.assign(
        compliant=(r["outcome"] == COMPLIANT).astype("int64"),
        evaluable=(r["outcome"] != EXCLUDED).astype("int64"),
        period=r["campaign"].astype(str),
    )
    grouped = r.groupby(["finess_et", "period"], as_index=False).agg(
        numerator=("compliant", "sum"), denominator=("evaluable", "sum")
    )
    return grouped.rename(columns={"finess_et": "entity_id"})[
        ["entity_id", "period", "numerator", "denominator"]
    ]


def period_of(code: str) -> str:
    indicator = INDICATORS[code]
    if indicator.sector in PREVIOUS_YEAR_SECTORS or code in PREVIOUS_YEAR_INDICATORS:
        return "campagne IQSS (année de publication ; dossiers de l'année précédente)"
    return "campagne IQSS (année de publication)"


def audit_indicator(
    code: str,
    *,
    source_document: str = "HAS, dossier de presse de décembre 2024, résultats des indicateurs "
    "de qualité et de sécurité des soins (IQSS) 2024 (HAS-2024)",
    extra_assumptions: tuple[str, ...] = (),
    min_sample: int = MIN_SAMPLE,
    target: float | None = None,
    headline: bool = True,
) -> Indicator:
    """The indicator of records coded `code` (sources/audits.py) in the `indicateur` column."""
    audit = INDICATORS[code]
    sector = SECTORS[audit.sector]

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        return audited_rates(tables[TABLE], code)

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        return pandas_audited_rates(frames[TABLE], code)

    assumptions = [LAYOUT_ASSUMPTION, di_assumption(min_sample), POOLING_ASSUMPTION, CI_CHOICE]
    assumptions.append(target_assumption(target) if target is not None else NO_TARGET)
    meta = IndicatorMeta(
        code=f"AUDIT_{code}",
        label=f"{audit.label} — {sector}",
        short_label=f"{audit.label} ({audit.sector})",
        domain="processus",
        kind="rate",
        unit="%",
        numerator=audit.numerator,
        denominator="Dossiers audités évaluables (dossiers exclus retirés)",
        factor=100,
        direction=Direction.HIGHER_IS_BETTER,
        target=target,
        target_source=target_assumption(target) if target is not None else None,
        min_sample=min_sample,
        statuses=(di_status(min_sample),),
        ci_method="exact",
        levels=LEVELS,
        inputs=(TABLE,),
        period=period_of(code),
        source_document=source_document,
        source_section="facts.md §1 « Record-audit and other process indicators » ; "
        "anchors.md §3.2",
        method_version="1.0",
        assumptions=(*assumptions, *extra_assumptions),
        review=REVIEW_2026,
        headline=headline,
    )
    return Indicator(meta, compute, reference)
