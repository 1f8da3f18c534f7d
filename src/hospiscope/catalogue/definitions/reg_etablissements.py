"""REG_ETAB — number of establishments in the registry, by region, type, size and status."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.loader import indicator_meta
from hospiscope.catalogue.model import Indicator

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


META = {
    "code": "REG_ETAB",
    "label": "Nombre d'établissements de santé du registre FINESS",
    "short_label": "Établissements",
    "domain": "registre",
    "kind": "count",
    "unit": "établissements",
    "numerator": "Établissements géographiques (FINESS ET) présents dans le registre",
    "denominator": None,
    "direction": "none",
    "target": None,
    "target_source": None,
    "levels": ("national", "region", "departement", "statut", "strate:type", "strate:taille"),
    "inputs": ("establishments",),
    "period": "état du registre après la dernière importation",
    "source_document": "FINESS (ministère chargé de la santé), extractions importées",
    "source_section": "facts.md §6",
    "method_version": "1.0",
    "headline": False,
    "assumptions": (),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/registry/test_spec_reg_etab.py.",
        ),
        "open_questions": ("Aucun décompte publié du registre FINESS n'a été comparé à celui-ci.",),
    },
}

INDICATOR = Indicator(indicator_meta(META, __file__), compute, reference)
