"""VACCIN_GRIPPE — staff flu vaccination coverage per establishment and winter season, with
a Wilson interval and five levels (« très insuffisant » < 20 % … « exemplaire » ≥ 75 %)."""

from hospiscope.catalogue.definitions._vaccination import coverage_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "VACCIN_GRIPPE",
    "label": "Couverture vaccinale antigrippale du personnel hospitalier",
    "short_label": "Vaccination antigrippale du personnel",
    "domain": "processus",
    "kind": "rate",
    "unit": "%",
    "numerator": "Personnels vaccinés contre la grippe pendant la saison",
    "denominator": "Effectif des personnels de l'établissement pendant la saison",
    "factor": 100.0,
    "direction": "higher_is_better",
    "target": 75.0,
    "target_source": (
        "OMS : couverture vaccinale antigrippale d'au moins 75 % des professionnels de santé, "
        "cible reprise par le ministère chargé de la santé (dossier de presse HAS IQSS 2024)"
    ),
    "class_grids": "grids/vaccination.yaml#couverture",
    "statuses": (
        {
            "code": "DI",
            "label": (
                "Données insuffisantes : effectif ou nombre de vaccinés manquant ou incohérent"
            ),
        },
        {
            "code": "NC",
            "label": "Non concerné",
        },
    ),
    "ci_method": "wilson",
    "levels": (
        "etablissement",
        "national",
        "region",
        "departement",
        "statut",
        "strate:type",
        "strate:taille",
    ),
    "inputs": ("vaccination_grippe",),
    "period": "saison hivernale (ex. 2023-2024)",
    "source_document": (
        "HAS, dossier de presse IQSS 2024 (répartition 2023-2024 par niveau) ; Hospimedia, juin "
        "2024 (couverture nationale 2022-2023 : 19 %)"
    ),
    "source_section": "facts.md §1, Staff flu vaccination ; anchors.md §3.4",
    "method_version": "1.0",
    "headline": True,
    "assumptions": (
        "Cinq niveaux : « très insuffisant » sous 20 % et « exemplaire » à 75 % ou plus sont "
        "publiés ; les bornes intermédiaires (40 % et 60 %) sont une hypothèse hospiscope, non "
        "publiées dans nos sources.",
        "Valeur nationale, régionale, par statut ou par strate : Σ personnels vaccinés / Σ "
        "effectifs des établissements avec données (couverture de l'ensemble de leurs personnels).",
        "IC de Wilson : la couverture d'une saison est traitée comme la réalisation d'un "
        "processus binomial, bien que tout le personnel soit compté.",
        "Une déclaration de plus de vaccinés que d'effectif est classée DI (données "
        "insuffisantes) au lieu d'être publiée.",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/vaccination/test_spec_vaccination_coverage.py, "
            "tests/spec/vaccination/test_spec_vaccination_levels.py.",
            "Intervalle de Wilson : comparé aux valeurs publiées de Newcombe (1998), tableau 1, "
            "méthode 3 (tests/golden/test_golden_stats_proportions.py).",
        ),
        "open_questions": (
            "Bornes intermédiaires des cinq niveaux (40 % et 60 %) : non publiées dans nos "
            "sources.",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = coverage_indicator(indicator_meta(META, __file__))
