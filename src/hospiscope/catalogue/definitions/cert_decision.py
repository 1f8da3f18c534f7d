"""CERT_DECISION — the certification decision in force at 31 December, per establishment:
a categorical result (class = decision code, value = its rank, 4 best), with the window of the
next visit and where the establishment stands at the end of the year (details)."""

from hospiscope.catalogue.definitions._certification import (
    decision_compute,
    decision_finish,
    decision_reference,
)
from hospiscope.catalogue.loader import indicator_meta
from hospiscope.catalogue.model import Indicator

META = {
    "code": "CERT_DECISION",
    "defaults": "_certification.DEFAULTS",
    "label": "Décision de certification de la HAS en vigueur au 31 décembre",
    "short_label": "Certification",
    "kind": "level",
    "unit": "décision",
    "numerator": (
        "Rang de la décision : 4 certifié avec mention « Haute qualité des soins », 3 certifié, 2 "
        "certifié sous conditions, 1 non certifié"
    ),
    "denominator": None,
    "direction": "higher_is_better",
    "target": None,
    "target_source": None,
    "class_labels": (
        ("certifie_mention", "Certifié avec mention « Haute qualité des soins »"),
        ("certifie", "Certifié"),
        ("certifie_sous_conditions", "Certifié sous conditions"),
        ("non_certifie", "Non certifié"),
    ),
    "levels": ("etablissement",),
    "period": "état au 31 décembre de l'année : dernière décision datée au plus tard ce jour",
    "source_document": (
        "HAS, dossier de presse « Qualité et sécurité des soins » (décembre 2024), certification"
    ),
    "source_section": "facts.md §2 ; anchors.md §3.6",
    "method_version": "1.0",
    "headline": True,  # the bilan shows establishments by decision
    "assumptions": (
        "Hypothèse hospiscope : les délais de visite sont comptés à partir de la date de décision.",
        "Hypothèse hospiscope : pour un établissement certifié, la visite est « attendue » dans "
        "les 6 mois qui précèdent le terme des 4 ans.",
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
    indicator_meta(META, __file__), decision_compute, decision_reference, finish=decision_finish
)
