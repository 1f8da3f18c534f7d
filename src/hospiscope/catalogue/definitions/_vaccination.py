"""Staff flu vaccination coverage: staff vaccinated / staff total, per establishment and winter
season, with a Wilson interval and five levels (grids/vaccination.yaml).

Per establishment and season (rows of the table `vaccination_grippe`):
- NC (non concerné) when the file flags it — counts are then ignored;
- DI (données insuffisantes) when a count is missing, the staff total is 0, or more staff are
  declared vaccinated than employed (an incoherent declaration is not published);
- otherwise numerator = staff vaccinated, denominator = staff total.
NC and DI rows carry NULL numerator and denominator and the markers `stat_nc` / `stat_di`
(summed by the levels into counts of NC and DI establishments per group).

Pooling: a region, a type, the nation… is Σ vaccinated / Σ staff (the coverage of all their
staff, each establishment weighted by its staff).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.definitions._common import REVIEW_2026
from hospiscope.catalogue.definitions._hygiene import LEVELS, NC
from hospiscope.catalogue.grids import load_grids
from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta, Status
from hospiscope.sources.vaccination import TABLE

DI = Status(
    code="DI",
    label="Données insuffisantes : effectif ou nombre de vaccinés manquant ou incohérent",
)
STATUSES = (DI, NC)
TARGET = 75.0
TARGET_SOURCE = (
    "OMS : couverture vaccinale antigrippale d'au moins 75 % des professionnels de santé, "
    "cible reprise par le ministère chargé de la santé (dossier de presse HAS IQSS 2024)"
)
LEVEL_BOUNDS = (
    "Cinq niveaux : « très insuffisant » sous 20 % et « exemplaire » à 75 % ou plus sont "
    "publiés ; les bornes intermédiaires (40 % et 60 %) sont une hypothèse hospiscope, non "
    "publiées dans nos sources."
)
POOLING = (
    "Valeur nationale, régionale, par statut ou par strate : Σ personnels vaccinés / Σ "
    "effectifs des établissements avec données (couverture de l'ensemble de leurs personnels)."
)
INTERVAL = (
    "IC de Wilson : la couverture d'une saison est traitée comme la réalisation d'un "
    "processus binomial, bien que tout le personnel soit compté."
)
INCOHERENT = (
    "Une déclaration de plus de vaccinés que d'effectif est classée DI (données "
    "insuffisantes) au lieu d'être publiée."
)


def compute(tables: dict[str, ir.Table]) -> ir.Table:
    v = tables[TABLE]
    nc = v.not_concerned.fill_null(False)
    usable = (
        ~nc
        & v.vaccinated.notnull()
        & v.staff.notnull()
        & (v.staff.fill_null(0) > 0)
        & (v.vaccinated.fill_null(0) <= v.staff.fill_null(0))
    )
    return v.select(
        entity_id=v.finess_et,
        period=v.season,
        numerator=ibis.ifelse(usable, v.vaccinated.cast("int64"), ibis.null("int64")),
        denominator=ibis.ifelse(usable, v.staff.cast("int64"), ibis.null("int64")),
        stat_nc=nc.cast("int64"),
        stat_di=(~nc & ~usable).cast("int64"),
    )


def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    v = frames[TABLE]
    nc = v["not_concerned"].fillna(False).astype(bool)
    vaccinated = pd.to_numeric(v["vaccinated"]).astype(float)
    staff = pd.to_numeric(v["staff"]).astype(float)
    usable = (
        ~nc & vaccinated.notna() & staff.notna() & (staff.fillna(0) > 0) & (vaccinated <= staff)
    )
    return pd.DataFrame(
        {
            "entity_id": v["finess_et"].astype(str),
            "period": v["season"].astype(str),
            "numerator": vaccinated.where(usable),
            "denominator": staff.where(usable),
            "stat_nc": nc.astype("int64"),
            "stat_di": (~nc & ~usable).astype("int64"),
        }
    ).reset_index(drop=True)


def coverage_indicator(code: str) -> Indicator:
    meta = IndicatorMeta(
        code=code,
        label="Couverture vaccinale antigrippale du personnel hospitalier",
        short_label="Vaccination antigrippale du personnel",
        domain="processus",
        kind="rate",
        unit="%",
        numerator="Personnels vaccinés contre la grippe pendant la saison",
        denominator="Effectif des personnels de l'établissement pendant la saison",
        factor=100,
        direction=Direction.HIGHER_IS_BETTER,
        target=TARGET,
        target_source=TARGET_SOURCE,
        class_grids=load_grids("vaccination")["couverture"],
        statuses=STATUSES,
        ci_method="wilson",
        levels=LEVELS,
        inputs=(TABLE,),
        period="saison hivernale (ex. 2023-2024)",
        source_document="HAS, dossier de presse IQSS 2024 (répartition 2023-2024 par niveau) ; "
        "Hospimedia, juin 2024 (couverture nationale 2022-2023 : 19 %)",
        source_section="facts.md §1, Staff flu vaccination ; anchors.md §3.4",
        method_version="1.0",
        assumptions=(LEVEL_BOUNDS, POOLING, INTERVAL, INCOHERENT),
        review=REVIEW_2026,
        headline=True,
    )
    return Indicator(meta, compute, reference)
