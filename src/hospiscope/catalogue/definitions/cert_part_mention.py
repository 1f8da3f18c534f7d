"""CERT_PART_MENTION — share of establishments certified with the mention « Haute qualité
des soins » at 31 December (HAS end 2024: 23 %)."""

from hospiscope.catalogue.definitions._certification import share_indicator
from hospiscope.catalogue.loader import indicator_meta
from hospiscope.certification import Decision

META = {
    "code": "CERT_PART_MENTION",
    "defaults": "_certification.SHARE_DEFAULTS",
    "label": "Part des établissements certifiés avec mention « Haute qualité des soins »",
    "short_label": "Mention « Haute qualité des soins »",
    "unit": "%",
    "numerator": "Établissements certifiés avec mention « Haute qualité des soins »",
    "denominator": "Établissements ayant une décision de certification au 31 décembre",
    "direction": "higher_is_better",
    "target": None,
    "target_source": None,
    "source_document": (
        "HAS, dossier de presse « Qualité et sécurité des soins » (décembre 2024), certification"
    ),
    "source_section": "facts.md §2 ; anchors.md §3.6",
    "method_version": "1.0",
    "headline": False,
    "assumptions": (
        "Les parts publiées par la HAS sont lues comme l'état à la date du bilan : dernière "
        "décision de chaque établissement (lecture hospiscope).",
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

INDICATOR = share_indicator(indicator_meta(META, __file__), (Decision.MENTION,))
