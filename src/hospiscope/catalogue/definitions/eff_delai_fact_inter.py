"""EFF_DELAI_FACT_INTER — billing delay to other health establishments (inter-establishment
billing), ANAP method: amount of the year-n invoices issued from 1 January to 31 March n+1 /
amount of every year-n invoice × 365, in days (target 30 days). The denominator is the
annual amount billed (daily revenue = denominator / 365)."""

from hospiscope.catalogue.definitions._facturation import delay_indicator
from hospiscope.catalogue.loader import indicator_meta
from hospiscope.sources.facturation import ESTABLISHMENT

META = {
    "code": "EFF_DELAI_FACT_INTER",
    "defaults": "_facturation.DEFAULTS",
    "label": "Délai de facturation aux autres établissements (méthode ANAP)",
    "short_label": "Délai de facturation inter-établissements",
    "numerator": (
        "Montant des factures aux autres établissements de santé (débiteur ETABLISSEMENT) de "
        "l'année de soins n émises en période complémentaire, du 1er janvier au 31 mars n+1 "
        "(euros)"
    ),
    "denominator": (
        "Montant de toutes les factures aux autres établissements de santé (débiteur "
        "ETABLISSEMENT) de l'année de soins n (euros)"
    ),
    "headline": False,
    "assumptions": (
        (
            "Débiteur ETABLISSEMENT : un autre établissement de santé (prestations "
            "inter-établissements, mises à disposition de personnel). À l'échelle nationale "
            "ces sommes se compensent entre établissements ; le délai pèse sur la trésorerie "
            "de celui qui facture."
        ),
        (
            "Une facture relève de l'année de sa date de soins (ou de fin de séjour) : "
            "hypothèse hospiscope, la méthode de l'ANAP parle des factures « relevant de "
            "l'année n »."
        ),
        (
            "La cible de 30 jours est donnée par l'ANAP pour l'ensemble des recettes ; "
            "l'appliquer à chaque catégorie de débiteur est une hypothèse hospiscope (l'ANAP "
            "observe 50 à 150 jours selon les catégories de recettes en 2023)."
        ),
        (
            "Les factures de l'année n émises après le 31 mars n+1 comptent au dénominateur "
            "seulement, la méthode ne retenant que la période complémentaire : lecture "
            "littérale de la méthode (hypothèse hospiscope), qui ne rend pas plus lent un "
            "établissement facturant au-delà de mars."
        ),
        "× 365 jours quelle que soit l'année, 2024 bissextile comprise (hypothèse hospiscope).",
        (
            "Les factures rejetées sont exclues des montants : une facture rejetée est annulée "
            "puis réémise, la facture réémise formant une ligne à part (hypothèse hospiscope)."
        ),
        (
            "Pas d'intervalle de confiance : toutes les factures de l'année sont comptées, "
            "sans échantillon, et un intervalle sur un rapport de montants demanderait un "
            "modèle (un rééchantillonnage des factures) que rien ne fonde ici ; l'écart à la "
            "cible se lit directement."
        ),
        (
            "Valeur nationale, régionale, par statut ou par strate : Σ montants émis en "
            "période complémentaire / Σ montants de l'année × 365, chaque établissement pesant "
            "le montant qu'il facture."
        ),
        (
            "Le fichier de l'année n doit être extrait après le 31 mars n+1 : plus tôt, des "
            "factures de la période complémentaire manquent et le délai est sous-estimé."
        ),
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-04",
        "next_review": "2027-12-04",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/facturation/test_spec_facturation_delays.py.",
            "Méthode ANAP recalculée à la main sur quelques factures (calcul écrit dans le "
            "test) : tests/golden/test_golden_anap_billing_delay.py.",
        ),
        "open_questions": (
            "Définition exacte de l'ANAP (année de rattachement d'une facture, sort des "
            "factures émises après le 31 mars n+1) : non publiée dans nos sources.",
            "Aucune valeur publiée n'a été recalculée sur des factures réelles, qui ne sont pas "
            "dans nos sources : la démonstration est calibrée sur les valeurs observées (50 à "
            "150 jours selon les catégories), ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = delay_indicator(indicator_meta(META, __file__), ESTABLISHMENT)
