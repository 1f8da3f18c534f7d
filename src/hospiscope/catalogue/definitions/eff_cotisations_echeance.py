"""EFF_COTISATIONS_ECHEANCE — share of monthly social contributions paid at their due date
(the 5th of the following month unless the file says otherwise): neither late nor paid days
early with the salaries (IGF-IGAS 2025 annex XII § 2.4.1 and its lever table)."""

from hospiscope.catalogue.definitions._payments import contributions_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "EFF_COTISATIONS_ECHEANCE",
    "defaults": "_payments.CONTRIBUTION_DEFAULTS",
    "label": "Cotisations sociales réglées à leur échéance",
    "short_label": "Cotisations réglées à l'échéance",
    "numerator": (
        "Cotisations mensuelles réglées à leur échéance (au plus tôt 3 jours avant, jamais après)"
    ),
    "denominator": "Cotisations mensuelles de l'année (une par mois de paie et par organisme)",
    "direction": "higher_is_better",
    "target": 100.0,
    "target_source": (
        "hypothèse hospiscope : toutes les cotisations réglées à leur échéance, ni en retard ni "
        "en avance (levier de l'annexe XII d'IGF-IGAS 2025 : régler les cotisations à la date "
        "due plutôt qu'avec les rémunérations)"
    ),
    "statuses": ({"code": "DI", "label": "Données insuffisantes : aucune cotisation déclarée"},),
    "source_section": (
        "annexe XII, § 2.4.1 et tableau des leviers « Délais de paiement fournisseurs et des "
        "charges sociales et fiscales » ; facts.md §4"
    ),
    "headline": False,
    "assumptions": (
        "Format d'entrée hospiscope (une ligne par mois de paie et par organisme collecteur : "
        "échéance, date de paiement, montant), que peut produire le logiciel de paie : aucun "
        "recueil national n'est dans nos sources.",
        "Échéance : celle du fichier ; à défaut, le 5 du mois suivant le mois de paie (facts.md "
        "§4), sans report d'un samedi, d'un dimanche ou d'un jour férié au jour ouvré suivant "
        "(renseigner la colonne pour l'appliquer).",
        "Réglée à l'échéance : payée au plus tôt 3 jours avant l'échéance (ordre de virement "
        "passé avant un week-end) et jamais après (hypothèse hospiscope) ; l'annexe vise les "
        "établissements qui décaissent en avance, avec les salaires, des cotisations dues le 5 "
        "du mois suivant : un paiement anticipé n'est donc pas compté comme réglé à "
        "l'échéance.",
        "Une cotisation sans date de paiement (non payée à la date de l'export) compte comme "
        "réglée en retard : exporter le fichier après la dernière échéance de l'année.",
        "Cible de 100 % : hypothèse hospiscope (aucune cible chiffrée dans nos sources).",
        "Valeurs nationale, régionales et par groupe : Σ cotisations réglées à l'échéance / Σ "
        "cotisations des établissements avec données (règle hospiscope).",
        "IC de Wilson : les cotisations de l'année sont traitées comme les réalisations d'un "
        "processus binomial, bien qu'elles soient toutes comptées.",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-10",
        "next_review": "2027-12-10",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/payments/test_spec_payments_contributions.py.",
            "Cas de référence calculés à la main (échéance par défaut, décembre, paiement "
            "anticipé, en retard, non payé) : tests/golden/test_golden_efficiency_payments.py.",
            "Intervalle de Wilson : comparé aux valeurs publiées de Newcombe (1998), tableau 1, "
            "méthode 3 (tests/golden/test_golden_stats_proportions.py).",
        ),
        "open_questions": (
            "Tolérance de 3 jours avant l'échéance et report de l'échéance au jour ouvré suivant : "
            "règles des organismes collecteurs non vérifiées dans nos sources.",
            "Aucune part nationale publiée : la démonstration repose sur des hypothèses "
            "hospiscope.",
        ),
    },
}

INDICATOR = contributions_indicator(indicator_meta(META, __file__))
