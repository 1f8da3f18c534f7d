"""EFF_CREANCES_PATIENT — share of the amount billed to patients for year of care n (their
share of the charges) not recovered by 31 December n+1, in %. No target; the ANAP estimates
about €550 M a year not recovered in public establishments."""

from hospiscope.catalogue.definitions._facturation import patient_receivables_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "EFF_CREANCES_PATIENT",
    "defaults": "_facturation.RECOVERY_DEFAULTS",
    "label": "Part des factures aux patients non recouvrée à la fin de l'exercice suivant",
    "short_label": "Créances patients non recouvrées",
    "numerator": (
        "Montant des factures de l'année de soins n adressées aux patients et non recouvré au "
        "31 décembre n+1 (euros)"
    ),
    "denominator": "Montant des factures de l'année de soins n adressées aux patients (euros)",
    "direction": "lower_is_better",
    "source_section": "facts.md §4, Recovery ; annexe XII, § 2.1 et § 2.2.2",
    "headline": False,
    "assumptions": (
        (
            "Horizon : 31 décembre n+1, comme la DGFiP qui examine les factures de l'année n "
            "à la fin de l'exercice n+1 (annexe XII, § 2.2.2) ; l'ANAP compte les montants non "
            "recouvrés au bout d'un an."
        ),
        (
            "Une ligne porte la date du dernier encaissement et le montant recouvré à cette "
            "date : une facture soldée après le 31 décembre n+1 compte comme non recouvrée, "
            "même si une partie était encaissée avant. La part est donc une borne haute."
        ),
        (
            "Un montant recouvré compte au plus à hauteur du montant facturé ; un recouvrement "
            "sans date ne compte pas. Les factures rejetées sont exclues (hypothèse "
            "hospiscope)."
        ),
        (
            "Aucune cible officielle : l'ANAP estime à environ 550 M€ par an les créances à "
            "charge des patients non recouvrées dans les établissements publics."
        ),
        (
            "Pas d'intervalle de confiance : toutes les factures de l'année sont comptées, "
            "sans échantillon, et un rapport de montants n'a pas d'intervalle binomial."
        ),
        (
            "Valeur nationale, régionale, par statut ou par strate : Σ montants non recouvrés "
            "/ Σ montants facturés aux patients."
        ),
        (
            "Le fichier de l'année n doit être extrait après le 31 décembre n+1 ; plus tôt, la "
            "part est celle de la date d'extraction."
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
            "Horizon et assiette de l'estimation de l'ANAP (550 M€ non recouvrés par an) : non "
            "détaillés dans nos sources ; le montant facturé aux patients n'y est pas publié "
            "seul.",
        ),
    },
}

INDICATOR = patient_receivables_indicator(indicator_meta(META, __file__))
