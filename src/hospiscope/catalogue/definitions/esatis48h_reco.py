"""ESATIS48H_RECO — raw recommendation rate, e-Satis questionnaire « MCO plus de 48 h »."""

from hospiscope.catalogue.definitions._esatis_recommendation import recommendation_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "ESATIS48H_RECO",
    "defaults": "_esatis_recommendation.DEFAULTS",
    "label": "Taux de recommandation de l'établissement — MCO plus de 48 h",
    "short_label": "Recommandation (MCO plus de 48 h)",
    "unit": "%",
    "numerator": "Patients qui recommanderaient « certainement » l'établissement",
    "denominator": "Questionnaires complets ayant répondu à la question de recommandation",
    "direction": "higher_is_better",
    "target": None,
    "target_source": None,
    "inputs": ("esatis_mco48h", "esatis_participation"),
    "source_document": (
        "HAS, résultats e-Satis open data (colonne taux_reco_brut) ; dossier de presse IQSS 2024"
    ),
    "source_section": "facts.md §1, e-Satis",
    # 1.1: NR / NV statuses from participation files; 1.2: responses of NV submissions left out
    "method_version": "1.2",
    "headline": True,
    "assumptions": (
        "Définition supposée du taux de recommandation brut : part des réponses « certainement » "
        "parmi les questionnaires complets ayant répondu à la question.",
        "Réponses d'un dépôt non validé (hypothèse hospiscope) : un établissement NV garde son "
        "statut NV, mais ses réponses ne comptent ni dans les valeurs agrégées (national, "
        "régions, statuts, strates) ni dans le modèle national d'ajustement ; celles des "
        "établissements en DI (moins de 30 réponses exploitables) y comptent, car DI ne dit que "
        "la précision du score de l'établissement, non la validité de ses réponses.",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/esatis/test_spec_pooling.py, "
            "tests/spec/esatis/test_spec_recommendation.py.",
            "Intervalle de Wilson : comparé aux valeurs publiées de Newcombe (1998), tableau 1, "
            "méthode 3 (tests/golden/test_golden_stats_proportions.py).",
        ),
        "open_questions": (
            "Définition exacte du taux de recommandation brut de la HAS (colonne "
            "taux_reco_brut) : supposée, à confirmer sur le lexique open data.",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = recommendation_indicator(indicator_meta(META, __file__), "mco48h")
