"""ISO_PTH — surgical-site infection after total hip replacement (non-fracture), O/E."""

from hospiscope.catalogue.definitions._iso_ortho import iso_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "ISO_PTH",
    "defaults": "_iso_ortho.DEFAULTS",
    "label": (
        "Infections du site opératoire après prothèse totale de hanche : ratio observé / attendu"
    ),
    "short_label": "ISO après prothèse totale de hanche (O/A)",
    "unit": "ratio O/A",
    "numerator": "Infections du site opératoire dans les 90 jours (séjours chaînés)",
    "denominator": "Infections attendues d'après le modèle de risque",
    "direction": "lower_is_better",
    "target": None,
    "target_source": None,
    "source_document": (
        "HAS, indicateurs de résultats ISO-ORTHO (ISO-PTH / ISO-PTG), dossier de presse IQSS 2024"
    ),
    "source_section": "facts.md §1, ISO-ORTHO ; anchors.md §3.5",
    "method_version": "1.0",
    "headline": True,
    "assumptions": (
        "Modèle de risque hospiscope (hypothèse) : régression logistique de l'infection à 90 "
        "jours sur la classe d'âge, le sexe, l'obésité, le diabète et la classe de comorbidités "
        "de Charlson, estimée chaque année sur tous les séjours.",
        "« Pire qu'attendu » : ratio O/E au-dessus de la limite à 99,8 % du diagramme en "
        "entonnoir, sur-dispersion prise en compte par un effet aléatoire additif (τ² de "
        "DerSimonian–Laird) — règle hospiscope (hypothèse).",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/iso_ortho/test_spec_iso_ortho.py.",
            "Intervalle exact de Poisson (Garwood) : comparé aux tables de PHEindicatormethods et "
            "à l'exemple de R poisson.test (tests/golden/test_golden_stats_poisson.py) ; limites "
            "du diagramme en entonnoir comparées à PHEindicatormethods et FunnelPlotR "
            "(tests/golden/test_golden_stats_funnel.py).",
        ),
        "open_questions": (
            "Modèle de risque et règle de signalement de la HAS : absents de nos sources (modèle "
            "et limite à 99,8 % choisis par hospiscope).",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = iso_indicator(indicator_meta(META, __file__), "PTH")
