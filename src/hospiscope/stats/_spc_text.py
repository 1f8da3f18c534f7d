"""French labels of the SPC rules, point classes and assurance, for the pages (private helper
of :mod:`hospiscope.stats.spc`)."""

from __future__ import annotations

RULE_LABELS = {
    "beyond_limits": "point hors des limites de contrôle",
    "trend": "tendance : 7 points consécutifs en hausse ou en baisse",
    "two_of_three": "2 points sur 3 au-delà de 2 sigmas, du même côté de la moyenne",
    "shift": "série de 7 points du même côté de la moyenne",
}
# The same rules once the side is known: (label when high, label when low).
_SIDED_RULE_LABELS = {
    "beyond_limits": (
        "point au-dessus de la limite supérieure de contrôle",
        "point en dessous de la limite inférieure de contrôle",
    ),
    "trend": (
        "tendance : 7 points consécutifs en hausse",
        "tendance : 7 points consécutifs en baisse",
    ),
    "two_of_three": (
        "2 points sur 3 au-delà de 2 sigmas au-dessus de la moyenne",
        "2 points sur 3 au-delà de 2 sigmas en dessous de la moyenne",
    ),
    "shift": (
        "série de 7 points au-dessus de la moyenne",
        "série de 7 points en dessous de la moyenne",
    ),
}
CLASS_LABELS = {
    "common_cause": "variation de cause commune",
    "special_cause_improvement": "cause spéciale : amélioration",
    "special_cause_concern": "cause spéciale : préoccupation",
    "special_cause_neutral_high": "cause spéciale : valeurs hautes",
    "special_cause_neutral_low": "cause spéciale : valeurs basses",
    "missing": "valeur manquante",
    "insufficient": "trop peu de points pour calculer des limites",
}
ASSURANCE_LABELS = {
    "consistent_pass": "cible atteinte de façon constante",
    "consistent_fail": "cible manquée de façon constante",
    "inconsistent": "cible tantôt atteinte, tantôt manquée",
}
METHODS = {
    "xmr": (
        "Carte XmR (valeurs individuelles) : moyenne ± 2,66 × étendue mobile moyenne "
        "(3 sigmas, sigma = étendue mobile moyenne / 1,128), lignes à 2 sigmas"
    ),
    "p": (
        "Carte p : proportion moyenne p̄ = Σx / Σn ± 3 √(p̄ (1 − p̄) / n) pour chaque mois, "
        "bornée à [0, 1], lignes à 2 sigmas"
    ),
}
SCREENING = (
    "étendues mobiles supérieures à 3,267 fois leur moyenne écartées du calcul des limites "
    "(Nelson 1982, comme NHSRplotthedots)"
)
RULES_NOTE = (
    "règles NHS « Making Data Count » (NHSRplotthedots) : point hors des limites, "
    "tendance de 7 points, 2 points sur 3 au-delà de 2 sigmas, série de 7 points"
)


def rule_label(rule: str | None, sign: int) -> str:
    """The retained rule in French with its side; "" when no rule fired."""
    if rule is None:
        return ""
    high, low = _SIDED_RULE_LABELS[rule]
    return high if sign > 0 else low


def too_few(min_points: int, usable: int) -> str:
    return (
        f"{usable} point{'s' if usable > 1 else ''} utilisable{'s' if usable > 1 else ''} "
        f"pour les limites (minimum {min_points}) : pas de limites de contrôle"
    )


def trial(threshold: int) -> str:
    return f"limites provisoires : moins de {threshold} points"


def baseline(count: int) -> str:
    return f"limites calculées sur les {count} premiers points de la période"


NO_MOVING_RANGE = (
    "aucune étendue mobile calculable (pas deux mois consécutifs) : pas de limites de contrôle"
)
CONSTANT = "série constante : limites confondues avec la moyenne"
