"""EFF_STOCK_DM — days of stock of medical devices (dispositifs médicaux): stock value at the
last inventory of the year / consumption of the 12 months before it × 365 (ANAP target 28
days; observed in 2023: about 40 days, IGF-IGAS 2025 annex XII § 2.4.2)."""

from hospiscope.catalogue.definitions._stocks import stock_days_indicator
from hospiscope.catalogue.loader import indicator_meta

META = {
    "code": "EFF_STOCK_DM",
    "defaults": "_stocks.DEFAULTS",
    "label": "Nombre de jours de stock de dispositifs médicaux",
    "short_label": "Jours de stock — dispositifs médicaux",
    "numerator": "Valeur du stock de dispositifs médicaux au dernier inventaire de l'année (€)",
    "denominator": "Consommation de dispositifs médicaux des 12 mois précédant cet inventaire (€)",
    "headline": False,
    "assumptions": (
        (
            "Format d'entrée hospiscope (une ligne par établissement, date d'inventaire et famille "
            "de stock, avec la consommation des 12 mois précédant l'inventaire) : aucun recueil "
            "national n'est dans nos sources."
        ),
        (
            "Inventaire retenu pour l'année : le dernier de l'année civile (en général "
            "l'inventaire de clôture au 31 décembre) ; un inventaire intermédiaire n'est pas "
            "moyenné avec lui (règle hospiscope)."
        ),
        (
            "Stock et consommation valorisés de la même façon (prix moyen pondéré) ; les stocks "
            "déportés dans les services qui ne sont pas inventoriés manquent au numérateur : la "
            "valeur peut sous-estimer le stock réel, comme le signale l'annexe XII."
        ),
        (
            "Valeurs nationale, régionales et par groupe : Σ valeurs de stock / Σ consommations × "
            "365 des établissements avec données (règle hospiscope : chaque établissement pèse par "
            "sa consommation)."
        ),
        (
            "Pas d'intervalle de confiance : stock et consommation sont des montants comptables de "
            "toute l'année, sans échantillon."
        ),
        (
            "Direction « plus bas est mieux » jusqu'à la cible : un stock nettement inférieur à 28 "
            "jours, qui exposerait à des ruptures, n'est pas signalé par cet indicateur."
        ),
        (
            "Les dispositifs médicaux en tension sont exclus de la cible de 28 jours par l'ANAP ; "
            "le fichier ne les distingue pas. Les dispositifs en dépôt (propriété du fournisseur) "
            "ne font pas partie du stock valorisé."
        ),
    ),
    "review": {
        "authored_by": "équipe hospiscope",
        "checked_by": None,
        "reviewed_on": "2026-12-10",
        "next_review": "2027-12-10",
        "checked": (
            (
                "Tests de spécification (petites tables écrites à la main, résultats attendus "
                "calculés à la main) : tests/spec/stocks/test_spec_stocks_days.py."
            ),
            (
                "Cas de référence calculés à la main (jours de stock, inventaire retenu, DI) : "
                "tests/golden/test_golden_efficiency_stocks.py."
            ),
        ),
        "open_questions": (
            (
                "Méthode ANAP détaillée (comptes de stock et de consommation retenus, traitement "
                "des inventaires intermédiaires) : non disponible dans nos sources, règle "
                "hospiscope."
            ),
            (
                "Valeur observée en 2023 (environ 40 jours pour les fournitures médicales, données "
                "comptables citées par l'annexe XII) : non recalculée sur données réelles, qui ne "
                "sont pas dans nos sources ; la démonstration est calibrée dessus, ce qui ne "
                "vérifie pas la méthode."
            ),
        ),
    },
}

INDICATOR = stock_days_indicator(indicator_meta(META, __file__), "DM")
