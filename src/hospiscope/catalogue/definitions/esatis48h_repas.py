"""ESATIS48H_REPAS — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "ESATIS48H_REPAS",
    "defaults": "_esatis_score.DEFAULTS",
    "label": "e-Satis MCO plus de 48 h — score « Repas » ajusté",
    "short_label": "MCO plus de 48 h — score « Repas »",
    "unit": "/100",
    "numerator": "Somme des scores des répondants (questionnaires complets)",
    "denominator": "Répondants ayant au moins une réponse exploitable",
    "direction": "higher_is_better",
    "target": None,
    "target_source": None,
    "inputs": ("esatis_mco48h_cellules", "esatis_participation"),
    "source_document": (
        "HAS, e-Satis : résultats open data (score_all_rea_ajust, score_<dimension>_rea_ajust) ; "
        "dossier de presse IQSS 2024"
    ),
    "source_section": "facts.md §1, e-Satis",
    "method_version": "1.1",  # 1.1: responses of NV submissions left out (see assumptions)
    "headline": False,
    "assumptions": (
        "Ajustement sur le case-mix (hypothèse hospiscope) : modèle linéaire du score individuel "
        "sur la classe d'âge, le sexe, le mode d'entrée et l'état de santé perçu, estimé chaque "
        "campagne sur l'ensemble des répondants ; score ajusté = score observé − score attendu + "
        "score national.",
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
            "Calcul commun à sa famille (_esatis_score.py), vérifié par "
            "tests/spec/esatis/test_spec_pooling.py, tests/spec/esatis/test_spec_scores.py sur "
            "ESATIS48H_ACCUEIL, ESATIS48H_PEC_INFIRMIER, ESATIS48H_SCORE, ESATISSMR_PEC.",
            "Ajustement sur le case-mix : comparé à un calcul à la main détaillé "
            "(tests/golden/test_golden_stats_adjustment.py ; aucun exemple publié dans nos "
            "sources).",
        ),
        "open_questions": (
            "Pas de test de spécification propre à cet indicateur : ses items de questionnaire ne "
            "sont vérifiés que par leur définition (sources/esatis/questionnaires.py).",
            "Modèle d'ajustement et pondération du score global de la HAS : absents de nos "
            "sources (hypothèses hospiscope).",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = score_indicator(indicator_meta(META, __file__), "mco48h", "repas")
