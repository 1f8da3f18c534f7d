"""AUDIT_HAD_DOSSIER — record audit: patient record compliant, home hospitalisation (HAD).

HAS-2024: 89 %, +3.5 points vs 2021.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "AUDIT_HAD_DOSSIER",
    "defaults": "_audits.DEFAULTS",
    "label": "Tenue du dossier patient — hospitalisation à domicile",
    "short_label": "Tenue du dossier patient (HAD)",
    "unit": "%",
    "numerator": "Dossiers patients conformes",
    "denominator": "Dossiers audités évaluables (dossiers exclus retirés)",
    "direction": "higher_is_better",
    "target": None,
    "target_source": None,
    "period": "campagne IQSS (année de publication)",
    "source_document": (
        "HAS, dossier de presse de décembre 2024, résultats des indicateurs de qualité et de "
        "sécurité des soins (IQSS) 2024 (HAS-2024)"
    ),
    "source_section": "facts.md §1 « Record-audit and other process indicators » ; anchors.md §3.2",
    "method_version": "1.0",
    "headline": True,
    "assumptions": (
        "Format d'entrée hospiscope (un dossier audité par ligne, jugé conforme ou non par la "
        "grille d'audit) : l'export QUALHAS réel n'est pas dans nos sources.",
        "Seuil de données insuffisantes (DI) : moins de 30 dossiers évaluables (hypothèse "
        "hospiscope, la règle HAS n'étant pas dans nos sources).",
        "Valeurs nationale, régionales et par groupe : dossiers conformes / dossiers évaluables "
        "de tous les établissements réunis (règle hospiscope, le calcul HAS de la moyenne "
        "nationale n'étant pas dans nos sources).",
        "Intervalle de confiance exact (Clopper-Pearson), choix hospiscope : la règle HAS n'est "
        "pas dans nos sources.",
        "Aucun objectif : aucun objectif de performance n'est publié dans nos sources (l'objectif "
        "de 80 % parfois cité n'y est pas vérifié) ; position par rapport à la valeur nationale.",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/audits/test_spec_audits_published.py, "
            "tests/spec/audits/test_spec_audits_rates.py.",
            "Intervalle exact de Clopper-Pearson : comparé aux valeurs publiées de Newcombe "
            "(1998), tableau 1, méthode 5 (tests/golden/test_golden_stats_proportions.py).",
        ),
        "open_questions": (
            "Règles HAS du seuil de données insuffisantes et du calcul de la valeur nationale : "
            "absentes de nos sources (hypothèses hospiscope).",
            "Format réel de l'export QUALHAS : non disponible, format d'entrée hospiscope.",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = audit_indicator(indicator_meta(META, __file__), "HAD_DOSSIER")
