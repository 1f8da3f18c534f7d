"""CERT_SUIVI_CERTIFIES — share of the decisions following a decision « certifié sous
conditions » that certify the establishment, with or without the mention; cumulated up to
31 December (HAS end 2024: 4 in 5 at the second visit)."""

from hospiscope.catalogue.definitions._certification import follow_up_compute, follow_up_reference
from hospiscope.catalogue.loader import indicator_meta
from hospiscope.catalogue.model import Indicator

META = {
    "code": "CERT_SUIVI_CERTIFIES",
    "defaults": "_certification.DEFAULTS",
    "label": (
        "Part des visites de suivi après une certification sous conditions aboutissant à la "
        "certification"
    ),
    "short_label": "Suivis aboutissant à la certification",
    "kind": "rate",
    "unit": "%",
    "numerator": (
        "Décisions suivant une décision « sous conditions » qui certifient l'établissement (avec "
        "ou sans mention)"
    ),
    "denominator": "Décisions suivant une décision « sous conditions » de l'établissement",
    "factor": 100.0,
    "direction": "higher_is_better",
    "target": None,
    "target_source": None,
    "ci_method": "wilson",
    "levels": ("national", "region", "statut", "strate:type"),
    "period": "cumul des décisions de suivi datées au plus tard le 31 décembre de l'année",
    "source_document": (
        "HAS, dossier de presse « Qualité et sécurité des soins » (décembre 2024), certification"
    ),
    "source_section": "facts.md §2 ; anchors.md §3.6",
    "method_version": "1.0",
    "headline": False,
    "assumptions": (
        "La décision de suivi est la décision suivante du même établissement, quel que soit son "
        "délai (lecture hospiscope).",
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
            "Intervalle de Wilson : comparé aux valeurs publiées de Newcombe (1998), tableau 1, "
            "méthode 3 (tests/golden/test_golden_stats_proportions.py).",
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

INDICATOR = Indicator(indicator_meta(META, __file__), follow_up_compute, follow_up_reference)
