"""REG_ETAB — number of establishments in the registry, by region, type, size and status."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.definitions._common import REVIEW_2026
from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta

PERIOD = "registre"  # the registry as it stands after the latest import


def compute(tables: dict[str, ir.Table]) -> ir.Table:
    e = tables["establishments"]
    return e.select(
        entity_id=e.finess_et,
        period=ibis.literal(PERIOD),
        numerator=ibis.literal(1, "int64"),
        denominator=ibis.null("int64"),
    )


def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    e = frames["establishments"]
    return pd.DataFrame(
        {"entity_id": e["finess_et"], "period": PERIOD, "numerator": 1, "denominator": pd.NA}
    )


INDICATOR = Indicator(
    IndicatorMeta(
        code="REG_ETAB",
        label="Nombre d'établissements de santé du registre FINESS",
        short_label="Établissements",
        domain="registre",
        kind="count",
        unit="établissements",
        numerator="Établissements géographiques (FINESS ET) présents dans le registre",
        direction=Direction.NONE,
        levels=("national", "region", "departement", "statut", "strate:type", "strate:taille"),
        inputs=("establishments",),
        period="état du registre après la dernière importation",
        source_document="FINESS (ministère chargé de la santé), extractions importées",
        source_section="facts.md §6",
        method_version="1.0",
        review=REVIEW_2026,
    ),
    compute,
    reference,
)
