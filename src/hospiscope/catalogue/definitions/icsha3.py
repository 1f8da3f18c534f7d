"""ICSHA3 — consumption of alcohol-based hand rub / personalised objective, version ICSHA.3
(the current version; its class grid is a labelled assumption until published)."""

from hospiscope.catalogue.definitions._hygiene import consumption_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "ICSHA3",
    "defaults": "_hygiene.CONSUMPTION_DEFAULTS",
    "label": (
        "Consommation de solutions hydro-alcooliques rapportée à l'objectif personnalisé (ICSHA.3)"
    ),
    "short_label": "Hygiène des mains, % de l'objectif (ICSHA.3)",
    "unit": "%",  # of the objective; "%" so that changes read in points
    "numerator": "Volume de produits hydro-alcooliques consommé dans l'année (litres)",
    "denominator": "Objectif personnalisé minimal de consommation de l'établissement (litres)",
    "direction": "higher_is_better",
    "target": 100.0,
    "target_source": (
        "HAS, dossier de presse IQSS 2024 : résultat attendu égal ou supérieur à 100 % de "
        "l'objectif personnalisé"
    ),
    "class_grids": "grids/icsha.yaml#ICSHA.3",
    "source_document": (
        "HAS, fiche descriptive de l'indicateur ICSHA.2 ; dossier de presse IQSS 2024 (national "
        "79 % en 2024, part d'établissements à 100 % ou plus : 28 %)"
    ),
    "source_section": "facts.md §1, Hand hygiene (ICSHA) ; anchors.md §3.3",
    "method_version": "1.0",
    "headline": True,
    "assumptions": (
        "Valeur nationale, régionale, par statut ou par strate : Σ volumes consommés / Σ "
        "objectifs personnalisés des établissements avec données (moyenne des taux pondérée par "
        "l'objectif) — hypothèse hospiscope, la règle d'agrégation de la HAS n'est pas dans nos "
        "sources.",
        "Pas d'intervalle de confiance : la consommation et l'objectif sont mesurés sur toute "
        "l'année, sans échantillon ; la position par rapport à l'objectif se lit directement.",
        "Grille de classes ICSHA.3 : hypothèse hospiscope (grille ICSHA.2 reconduite), la grille "
        "ICSHA.3 n'étant pas dans nos sources.",
        "Bornes des classes : A au-dessus de 80 % strictement, E sous 20 % strictement (fiche "
        "ICSHA.2) ; 60 % est classé C et 40 % D (convention hospiscope, la fiche ne le précise "
        "pas).",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/hygiene/test_spec_hygiene_classes.py, "
            "tests/spec/hygiene/test_spec_hygiene_icsha.py.",
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

INDICATOR = consumption_indicator(indicator_meta(META, __file__), "ICSHA.3")
