"""French descriptions of a funnel-plot computation, for users (private helper of :mod:`funnel`).

``describe_method`` says how the limits were built; ``describe_note`` says what the
over-dispersion step found and did (or why it was skipped).
"""

from __future__ import annotations

import math

_LIMITS = {
    ("ratio", "spiegelhalter"): "Limites de Poisson exactes interpolées (Spiegelhalter 2005)",
    ("ratio", "fingertips"): (
        "Limites de Poisson exactes : intervalle de Garwood touchant la cible "
        "(méthode Fingertips, PHE)"
    ),
    ("ratio", "funnelplotr"): "Limites de Poisson exactes du khi-deux (méthode FunnelPlotR)",
    ("proportion", "spiegelhalter"): (
        "Limites binomiales exactes interpolées (Spiegelhalter 2005)"
    ),
    ("proportion", "wilson"): (
        "Limites du score de Wilson autour de la cible (méthode Fingertips, PHE)"
    ),
}
_TRANSFORMS = {"sqrt": "racine carrée", "log": "logarithme", "arcsine": "arc sinus de la racine"}
_ADJUSTMENTS = {
    "multiplicative": "facteur multiplicatif φ",
    "additive": "τ² de DerSimonian–Laird (effets aléatoires additifs)",
}


def french_number(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits with a decimal comma: 0,0195."""
    return format(value, f".{digits}g").replace(".", ",")


def _percent(fraction: float) -> str:
    return f"{french_number(100 * fraction, 4)} %"


def describe_method(
    *,
    data_type: str,
    limits_method: str,
    transform: str,
    overdispersion: str,
    trim_method: str,
    winsorise: float,
) -> str:
    """E.g. "Limites de Poisson exactes interpolées (Spiegelhalter 2005) à 95 % et 99,8 % ;
    sur-dispersion : τ² de DerSimonian–Laird (effets aléatoires additifs) sur z (racine
    carrée) winsorisés à 10 %"."""
    text = f"{_LIMITS[(data_type, limits_method)]} à 95 % et 99,8 %"
    if overdispersion == "none":
        return f"{text} ; sans ajustement de sur-dispersion"
    trimmed = "winsorisés" if trim_method == "winsorise" else "tronqués (méthode SHMI)"
    return (
        f"{text} ; sur-dispersion : {_ADJUSTMENTS[overdispersion]} sur z "
        f"({_TRANSFORMS[transform]}) {trimmed} à {_percent(winsorise)}"
    )


def describe_note(
    *,
    overdispersion: str,
    trim_method: str,
    phi: float,
    tau2: float,
    n_used: int,
    n_trimmed: int,
    min_units: int,
) -> str:
    """What the over-dispersion step found and did, in one or two French sentences."""
    if math.isnan(phi):
        return (
            f"Sur-dispersion non estimée : {n_used} unité(s) utilisable(s), il en faut au "
            f"moins {min_units} ; limites non ajustées."
        )
    action = "winsorisée(s)" if trim_method == "winsorise" else "écartée(s) (troncature)"
    found = f"φ = {french_number(phi)}, τ² = {french_number(tau2)}"
    trimmed = f" ({n_trimmed} unité(s) sur {n_used} {action})"
    if overdispersion == "none":
        return f"{found}{trimmed}, à titre indicatif : aucun ajustement demandé."
    if overdispersion == "multiplicative" and phi <= 1:
        return f"{found}{trimmed} : φ ≤ 1, pas de sur-dispersion ; limites non élargies."
    if overdispersion == "multiplicative":
        return (
            f"{found}{trimmed} : limites élargies d’un facteur √φ = "
            f"{french_number(math.sqrt(phi))} sur l’échelle transformée."
        )
    if tau2 <= 0:
        return f"{found}{trimmed} : pas de variance entre unités ; limites non élargies."
    return f"{found}{trimmed} : limites élargies par √(s² + τ²) sur l’échelle transformée."
