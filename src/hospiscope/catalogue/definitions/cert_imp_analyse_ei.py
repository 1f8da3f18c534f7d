"""CERT_IMP_ANALYSE_EI — imperative certification criterion met: « Analyse collective des
événements indésirables associés aux soins »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "CERT_IMP_ANALYSE_EI",
    "defaults": "_certification.CRITERION_DEFAULTS",
    "label": (
        "Critère impératif de certification satisfait — Analyse collective des événements "
        "indésirables associés aux soins"
    ),
    "short_label": (
        "Critère impératif : Analyse collective des événements indésirables associés aux soins"
    ),
    "unit": "%",
    "numerator": "Établissements dont la dernière évaluation du critère l'a jugé satisfait",
    "denominator": "Établissements évalués sur ce critère (hors « non applicable »)",
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
        "Un critère est suivi d'un cycle à l'autre sous le même code hospiscope ; les exigences "
        "ont pu être renforcées au 6e cycle.",
        "HAS compte 17 critères impératifs au 5e cycle ; nos sources en nomment 16 sujets, "
        "hospiscope suit ces 16 sujets (le 17e critère n'est pas identifiable).",
        "Hypothèse hospiscope : critère impératif du 5e cycle supposé repris au 6e cycle (la "
        "liste officielle des critères impératifs du 6e cycle n'est pas dans nos sources).",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-03",
        "next_review": "2027-12-03",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/certification/test_spec_certification_criteria.py.",
            "Intervalle de Wilson : comparé aux valeurs publiées de Newcombe (1998), tableau 1, "
            "méthode 3 (tests/golden/test_golden_stats_proportions.py).",
        ),
        "open_questions": (
            "Correspondance des critères impératifs d'un cycle de certification à l'autre : "
            "lecture hospiscope, à confirmer sur le référentiel HAS.",
            "Aucune valeur nationale publiée par la HAS n'a été recalculée sur les données "
            "réelles, qui ne sont pas dans nos sources : la démonstration est calibrée sur les "
            "valeurs publiées, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = criterion_indicator(indicator_meta(META, __file__), "ANALYSE_EI")
