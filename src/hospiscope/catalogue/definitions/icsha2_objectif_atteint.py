"""ICSHA2_OBJECTIF_ATTEINT — share of establishments at 100 % or more of their personalised
hand-rub objective, version ICSHA.2."""

from hospiscope.catalogue.definitions._hygiene import attainment_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "ICSHA2_OBJECTIF_ATTEINT",
    "defaults": "_hygiene.ATTAINMENT_DEFAULTS",
    "label": (
        "Part des établissements atteignant leur objectif personnalisé de consommation de "
        "solutions hydro-alcooliques (ICSHA.2)"
    ),
    "short_label": "Établissements à 100 % de l'objectif ou plus (ICSHA.2)",
    "unit": "%",  # of the establishments
    "numerator": "Établissements dont la consommation atteint au moins 100 % de l'objectif",
    "denominator": (
        "Établissements dont l'ICSHA est calculable (hors non concernés et données insuffisantes)"
    ),
    "direction": "higher_is_better",
    "target": None,
    "target_source": None,
    "source_document": (
        "HAS, fiche descriptive de l'indicateur ICSHA.2 ; dossier de presse IQSS 2024 (national "
        "79 % en 2024, part d'établissements à 100 % ou plus : 28 %)"
    ),
    "source_section": "facts.md §1, Hand hygiene (ICSHA) ; anchors.md §3.3",
    "method_version": "1.0",
    "headline": False,
    "assumptions": (
        "IC de Wilson : les établissements d'une campagne sont traités comme un échantillon "
        "(variabilité d'une campagne à l'autre) ; la HAS publie la part sans intervalle.",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/hygiene/test_spec_hygiene_icsha.py.",
            "Intervalle de Wilson : comparé aux valeurs publiées de Newcombe (1998), tableau 1, "
            "méthode 3 (tests/golden/test_golden_stats_proportions.py).",
        ),
        "open_questions": (
            "Règle d'agrégation nationale de la HAS : absente de nos sources (hypothèse "
            "hospiscope).",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = attainment_indicator(indicator_meta(META, __file__), "ICSHA.2")
