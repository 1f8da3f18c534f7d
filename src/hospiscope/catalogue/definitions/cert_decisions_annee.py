"""CERT_DECISIONS_ANNEE — number of certification decisions dated in the year (the flow;
the other certification indicators describe the state at 31 December)."""

from hospiscope.catalogue.definitions._certification import (
    decisions_of_year_compute,
    decisions_of_year_reference,
)
from hospiscope.catalogue.loader import indicator_meta
from hospiscope.catalogue.model import Indicator

META = {
    "code": "CERT_DECISIONS_ANNEE",
    "defaults": "_certification.DEFAULTS",
    "label": "Nombre de décisions de certification rendues dans l'année",
    "short_label": "Décisions de l'année",
    "kind": "count",
    "unit": "décisions",
    "numerator": "Décisions de certification datées de l'année (toutes décisions, suivis compris)",
    "denominator": None,
    "direction": "none",
    "target": None,
    "target_source": None,
    "levels": ("national", "region", "statut", "strate:type"),
    "period": "année civile de la date de décision",
    "source_document": (
        "HAS, dossier de presse « Qualité et sécurité des soins » (décembre 2024), certification"
    ),
    "source_section": "facts.md §2 ; anchors.md §3.6",
    "method_version": "1.0",
    "headline": False,
    "assumptions": (
        "Hypothèse hospiscope : une décision qui couvre plusieurs sites est comptée pour chaque "
        "établissement géographique (FINESS ET) ; la HAS compte des décisions.",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/certification/test_spec_certification_decisions.py.",
        ),
        "open_questions": (
            "Décompte par établissement géographique plutôt que par décision : lecture hospiscope "
            "à confirmer face aux parts publiées par la HAS.",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = Indicator(
    indicator_meta(META, __file__), decisions_of_year_compute, decisions_of_year_reference
)
