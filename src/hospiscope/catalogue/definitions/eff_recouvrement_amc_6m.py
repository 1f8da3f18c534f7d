"""EFF_RECOUVREMENT_AMC_6M — amount recovered from the complementary insurers (AMC) by 30 June
n+1, six months after the end of the financial year, / amount billed to them for year of care
n, in %. Observed nationally: about 91 % (DGFiP-DGOS dashboard, excluding AP-HP); no target."""

from hospiscope.catalogue.definitions._facturation import amc_recovery_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "EFF_RECOUVREMENT_AMC_6M",
    "defaults": "_facturation.RECOVERY_DEFAULTS",
    "label": "Taux de recouvrement des organismes complémentaires six mois après l'exercice",
    "short_label": "Recouvrement AMC à six mois",
    "numerator": (
        "Montant recouvré au 30 juin n+1 sur les factures de l'année de soins n adressées aux "
        "organismes complémentaires (euros)"
    ),
    "denominator": (
        "Montant des factures de l'année de soins n adressées aux organismes complémentaires "
        "(euros)"
    ),
    "direction": "higher_is_better",
    "source_section": "facts.md §4, Recovery ; annexe XII, § 2.2.1 et § 2.3.2",
    "headline": False,
    "assumptions": (
        (
            "Horizon du tableau de bord DGFiP-DGOS : recouvrement au 30 juin n+1 des factures "
            "de l'année n ; ce tableau de bord réunit part patient et part complémentaire, "
            "l'indicateur ne retient que les organismes complémentaires (hypothèse "
            "hospiscope, comme la lecture de l'annexe qui le cite pour les mutuelles)."
        ),
        (
            "Une ligne porte la date du dernier encaissement et le montant recouvré à cette "
            "date : une facture soldée après le 30 juin n+1 ne compte pas, même si une partie "
            "était encaissée avant. Le taux est donc une borne basse."
        ),
        (
            "Un montant recouvré compte au plus à hauteur du montant facturé ; un recouvrement "
            "sans date ne compte pas. Les factures rejetées sont exclues (hypothèse "
            "hospiscope)."
        ),
        (
            "Aucune cible officielle : environ 91 % observés au niveau national (hors AP-HP), "
            "un repère et non un objectif."
        ),
        (
            "Pas d'intervalle de confiance : toutes les factures de l'année sont comptées, "
            "sans échantillon, et un rapport de montants n'a pas d'intervalle binomial."
        ),
        (
            "Valeur nationale, régionale, par statut ou par strate : Σ montants recouvrés / Σ "
            "montants facturés aux organismes complémentaires."
        ),
        (
            "Le fichier de l'année n doit être extrait après le 30 juin n+1 ; plus tôt, le taux "
            "est celui de la date d'extraction."
        ),
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-04",
        "next_review": "2027-12-04",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/facturation/test_spec_facturation_recovery.py.",
        ),
        "open_questions": (
            "Le taux de 91 % du tableau de bord DGFiP-DGOS porte sur la part patient et la "
            "part complémentaire réunies : sa part complémentaire seule n'est pas publiée dans "
            "nos sources.",
        ),
    },
}

INDICATOR = amc_recovery_indicator(indicator_meta(META, __file__))
