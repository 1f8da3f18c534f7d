"""EFF_DELAI_PAIEMENT — global supplier payment delay: amount-weighted mean of the days from
the receipt of an invoice (or the delivery, if later) to its payment, per establishment and
year of payment (regulatory maximum 50 days; observed 63.4 days in 2024 for public health
establishments, IGF-IGAS 2025 annex XII § 2.4.1)."""

from hospiscope.catalogue.definitions._payments import payment_delay_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "EFF_DELAI_PAIEMENT",
    "defaults": "_payments.DELAY_DEFAULTS",
    "label": "Délai global de paiement des fournisseurs",
    "short_label": "Délai de paiement des fournisseurs",
    "numerator": (
        "Σ des montants payés × jours écoulés entre la réception de la facture (ou le service "
        "fait, s'il est postérieur) et le paiement (€ × jours)"
    ),
    "denominator": "Montant des factures fournisseurs payées dans l'année (€)",
    "direction": "lower_is_better",
    "target": 50.0,
    "target_source": (
        "Code de la commande publique, art. R. 2192-11 : délai maximal de paiement de 50 jours "
        "pour les établissements publics de santé (IGF-IGAS 2025, annexe XII, § 2.4.1)"
    ),
    "source_section": (
        "annexe XII, § 2.4.1 « La maîtrise du délai de paiement des charges » ; facts.md §4"
    ),
    "headline": True,
    "assumptions": (
        "Format d'entrée hospiscope (une ligne par facture payée : réception, service fait, "
        "paiement, montant), que peut produire le système de gestion économique et financière : "
        "aucun recueil national par facture n'est dans nos sources.",
        "Délai d'une facture : du plus tardif de la réception de la facture et du service fait "
        "jusqu'au paiement (code de la commande publique, art. R. 2192-12) ; un paiement "
        "antérieur à ce point de départ compte pour un délai nul (règle hospiscope).",
        "Moyenne pondérée par les montants : une grosse facture pèse plus qu'une petite (choix "
        "hospiscope ; la méthode de moyenne de l'Observatoire des délais de paiement n'est pas "
        "dans nos sources).",
        "Seules les factures payées dans l'année sont mesurées : une facture reçue et non encore "
        "payée à la date de l'export n'entre pas dans le délai, qui peut ainsi être sous-estimé.",
        "Cible de 50 jours : plafond des établissements publics de santé ; les établissements "
        "privés relèvent du code de commerce (60 jours à compter de la facture) : la même cible "
        "leur est appliquée pour la comparaison (hypothèse hospiscope).",
        "Valeurs nationale, régionales et par groupe : Σ (montant × délai) / Σ montants des "
        "établissements avec données (règle hospiscope).",
        "Pas d'intervalle de confiance : toutes les factures payées de l'année sont comptées, "
        "sans échantillon.",
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-10",
        "next_review": "2027-12-10",
        "checked": (
            "Tests de spécification (petites tables écrites à la main, résultats attendus "
            "calculés à la main) : tests/spec/payments/test_spec_payments_delay.py.",
            "Cas de référence calculés à la main (moyenne pondérée par les montants, point de "
            "départ au service fait, paiement anticipé) : "
            "tests/golden/test_golden_efficiency_payments.py.",
            "Plafond de 50 jours et point de départ du délai : code de la commande publique, "
            "art. R. 2192-11 et R. 2192-12.",
        ),
        "open_questions": (
            "Méthode de calcul du délai moyen par l'Observatoire des délais de paiement "
            "(pondération, périmètre des dépenses) : absente de nos sources.",
            "Valeur observée (63,4 jours en 2024, +2,2 jours sur 2023) : non recalculée sur "
            "données réelles, qui ne sont pas dans nos sources ; la démonstration est calibrée "
            "dessus, ce qui ne vérifie pas la méthode.",
        ),
    },
}

INDICATOR = payment_delay_indicator(indicator_meta(META, __file__))
