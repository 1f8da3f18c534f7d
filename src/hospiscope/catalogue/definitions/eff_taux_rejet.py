"""EFF_TAUX_REJET — invoices rejected by the compulsory health insurer (AMO) / invoices sent to
it, in number of invoices, per establishment and year of care, with a Wilson interval. No
official target: the national means with CDRi (1.29 %) and without (3.59 %) are the class
bounds (grids/facturation.yaml) and each establishment's details give the mean of its own
kind, from the CDRi file."""

from hospiscope.catalogue.definitions._facturation import rejection_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "EFF_TAUX_REJET",
    "defaults": "_facturation.RECOVERY_DEFAULTS",
    "label": "Taux de rejet des factures adressées à l'assurance maladie obligatoire",
    "short_label": "Rejets de factures AMO",
    "kind": "rate",
    "numerator": "Factures de l'année de soins n rejetées par l'assurance maladie obligatoire",
    "denominator": (
        "Factures de l'année de soins n adressées à l'assurance maladie obligatoire, "
        "réémissions comprises"
    ),
    "direction": "lower_is_better",
    "class_grids": "grids/facturation.yaml#rejet",
    "ci_method": "wilson",
    "inputs": ("billing_invoices", "billing_cdri"),
    "source_section": (
        "facts.md §4, Recovery (CDRi : 1,29 % contre 3,59 %) ; annexe XII, § 2.3.1 (tableau du "
        "déploiement des outils SIMPHONIE)"
    ),
    "headline": False,
    "assumptions": (
        (
            "Taux en nombre de factures (une ligne du fichier peut regrouper plusieurs factures, "
            "colonne nombre_factures), réémissions comprises : la définition exacte du taux "
            "publié n'est pas dans nos sources (hypothèse hospiscope)."
        ),
        (
            "Aucun objectif officiel. Les moyennes nationales de 1,29 % (établissements "
            "utilisant CDRi) et 3,59 % (sans CDRi) servent de repères : bornes des trois "
            "classes (hypothèse hospiscope, ce sont des moyennes et non des seuils) et, dans "
            "les détails de chaque établissement, la moyenne de son cas d'après le fichier "
            "CDRi."
        ),
        (
            "IC de Wilson : les factures de l'année sont traitées comme les réalisations "
            "indépendantes d'un processus binomial, bien que toutes soient comptées."
        ),
        (
            "Une facture relève de l'année de sa date de soins (ou de fin de séjour) : "
            "hypothèse hospiscope."
        ),
        (
            "Valeur nationale, régionale, par statut ou par strate : Σ factures rejetées / Σ "
            "factures adressées à l'assurance maladie obligatoire ; les détails d'un groupe "
            "comptent ses établissements avec et sans CDRi."
        ),
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-04",
        "next_review": "2027-12-04",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/facturation/test_spec_facturation_rejections.py.",
        ),
        "open_questions": (
            "Définition du taux de rejet publié (en nombre ou en montant, rejets de l'AMO "
            "seulement ou aussi des AMC) : absente de nos sources.",
            "Moyennes de 1,29 % et 3,59 % : année et périmètre de la mesure non précisés dans "
            "nos sources.",
        ),
    },
}

INDICATOR = rejection_indicator(indicator_meta(META, __file__))
