"""Funnel plots for comparing institutions: numbers only, drawing is someone else's job.

A funnel plot shows each unit's indicator against its precision with control limits around a
target that narrow as precision grows (Spiegelhalter 2005). Two data types:

* :func:`funnel_ratio`: standardised ratios O / E (target 1 by default), precision = E;
* :func:`funnel_proportion`: proportions x / n against a fixed target or the pooled value,
  precision = n.

Both return a :class:`FunnelResult`: the per-unit table with z-scores and flags, a limits
table over a precision grid (for drawing), the over-dispersion estimates phi and tau^2, and a
French description of the method. Limits are at 95 % and 99.8 % (two-sided: 0.025/0.975 and
0.001/0.999, about 2 and 3 standard deviations).

Conventions (see :mod:`hospiscope.stats._funnel_limits` and :mod:`._funnel_dispersion`):

* unadjusted limits: exact Poisson or binomial quantiles interpolated as in Spiegelhalter
  (2005, appendix A.1) by default; the PHE Fingertips ("fingertips", "wilson") and FunnelPlotR
  ("funnelplotr") conventions are options, so that their published values can be reproduced;
* z-scores for over-dispersion on a variance-stabilising scale: square root for ratios by
  default (z = 2 (sqrt(O) - sqrt(target E)); ``transform="log"`` gives the SHMI log ratio),
  arcsine of the square root for proportions; winsorised at ``winsorise`` (10 %) each side by
  default, or truncated as in the SHMI. Winsorising lowers phi for in-control data (to about
  0.68 for normal scores at 10 %), so phi near 1 is only expected with ``winsorise=0``;
* phi = mean of the squared z-scores; tau^2 by DerSimonian-Laird. ``"multiplicative"`` inflates
  the spread by sqrt(phi) only when phi > 1 (never deflates, as Spiegelhalter recommends);
  ``"additive"`` uses sqrt(s^2 + tau^2), which is s itself when tau^2 = 0. Adjusted limits are
  never narrower than the unadjusted ones;
* with fewer than ``min_units`` usable units (10 by default) over-dispersion is not estimated:
  phi and tau^2 are NaN, adjusted limits equal the unadjusted ones, and ``note`` says so;
* a unit is flagged "high" when its value is strictly above the upper limit at its own
  precision, "low" when strictly below the lower limit; missing inputs give NaN and no flag.

References
----------
Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance. Stat Med
    24:1185-1202.
Spiegelhalter DJ (2005). Handling over-dispersion of performance indicators. Qual Saf Health
    Care 14:347-351.
Spiegelhalter DJ, Sherlaw-Johnson C, Bardsley M, Blunt I, Wood C, Grigg O (2012). Statistical
    methods for healthcare regulation: rating, screening and surveillance. JRSS-A 175:1-47.
DerSimonian R, Laird N (1986). Meta-analysis in clinical trials. Control Clin Trials 7:177-188.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.stats._funnel_dispersion import (
    RATIO_TRANSFORMS,
    TRIM_METHODS,
    Dispersion,
    Scores,
    estimate_dispersion,
    transformed_scores,
)
from hospiscope.stats._funnel_inputs import (
    OVERDISPERSION_METHODS,
    check_settings,
    check_whole_denominators,
    paired,
    precision_grid,
    proportion_target,
    unit_ids,
)
from hospiscope.stats._funnel_limits import (
    CONFIDENCE_LEVELS,
    LEVEL_SUFFIX,
    LIMIT_COLUMNS,
    PROPORTION_LIMITS,
    RATIO_LIMITS,
    LimitSpec,
    adjusted_spread,
    limits_frame,
)
from hospiscope.stats._funnel_result import FunnelResult
from hospiscope.stats._funnel_text import describe_method, describe_note
from hospiscope.stats._validation import (
    require_choice,
    require_non_negative,
    require_not_greater,
    require_positive,
)

__all__ = [
    "CONFIDENCE_LEVELS",
    "FLAG_COLUMNS",
    "LIMIT_COLUMNS",
    "OVERDISPERSION_METHODS",
    "PROPORTION_LIMITS",
    "RATIO_LIMITS",
    "RATIO_TRANSFORMS",
    "TRIM_METHODS",
    "FunnelResult",
    "funnel_proportion",
    "funnel_ratio",
]

FLAG_COLUMNS = tuple(
    f"{side}_{LEVEL_SUFFIX[level]}{adjusted}"
    for adjusted in ("", "_adjusted")
    for side in ("high", "low")
    for level in CONFIDENCE_LEVELS
)


def _flags(value: np.ndarray, limits: pd.DataFrame) -> dict[str, np.ndarray]:
    flags = {}
    for name in FLAG_COLUMNS:
        side, suffix, *adjusted = name.split("_")
        tail = "_adjusted" if adjusted else ""
        if side == "high":
            flags[name] = value > limits[f"upper_{suffix}{tail}"].to_numpy()
        else:
            flags[name] = value < limits[f"lower_{suffix}{tail}"].to_numpy()
    return flags


def _unit_table(
    units: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    scores: Scores,
    dispersion: Dispersion,
    spec: LimitSpec,
) -> pd.DataFrame:
    value = scores.value
    z_adjusted = scores.z
    if spec.overdispersion != "none":
        z_adjusted = (scores.transformed - scores.target) / adjusted_spread(spec, denominator)
    limits = limits_frame(spec, denominator)
    table = pd.DataFrame(
        {
            "unit": units,
            "numerator": numerator,
            "denominator": denominator,
            "value": value,
            "precision": denominator,
            "z": scores.z,
            "z_adjusted": z_adjusted,
            "trimmed": dispersion.trimmed,
        }
    )
    table = pd.concat([table, limits.drop(columns="precision")], axis=1)
    return table.assign(**_flags(value, limits))


def _build(
    *,
    numerator: np.ndarray,
    denominator: np.ndarray,
    units: np.ndarray,
    target: float,
    target_source: str,
    min_units: int,
    grid_points: int,
    **settings: object,
) -> FunnelResult:
    """``settings``: data_type, limits_method, transform, overdispersion, trim_method and
    winsorise, stored as they are in the result."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = numerator / denominator
    scores = transformed_scores(settings["transform"], value, denominator, target)
    dispersion = estimate_dispersion(
        scores.z,
        scores.se,
        method=settings["trim_method"],
        fraction=settings["winsorise"],
        min_units=min_units,
    )
    requested = settings["overdispersion"]
    applied = (requested == "multiplicative" and dispersion.phi > 1) or (
        requested == "additive" and dispersion.tau2 > 0
    )  # False when phi and tau2 are NaN (not estimated)
    spec = LimitSpec(
        settings["data_type"],
        settings["limits_method"],
        settings["transform"],
        target,
        requested if applied else "none",
        dispersion.phi,
        dispersion.tau2,
    )
    grid = precision_grid(denominator, grid_points, whole=settings["data_type"] == "proportion")
    n_trimmed = int(dispersion.trimmed.sum())
    return FunnelResult(
        target=target,
        target_source=target_source,
        confidence_levels=CONFIDENCE_LEVELS,
        min_units=min_units,
        units=_unit_table(units, numerator, denominator, scores, dispersion, spec),
        limits=limits_frame(spec, grid),
        phi=dispersion.phi,
        tau2=dispersion.tau2,
        n_units=int(numerator.size),
        n_used=dispersion.n_used,
        n_winsorised=n_trimmed,
        overdispersion_estimated=bool(np.isfinite(dispersion.phi)),
        adjusted=bool(applied),
        method=describe_method(**settings),
        note=describe_note(
            overdispersion=requested,
            trim_method=settings["trim_method"],
            phi=dispersion.phi,
            tau2=dispersion.tau2,
            n_used=dispersion.n_used,
            n_trimmed=n_trimmed,
            min_units=min_units,
        ),
        **settings,
    )


def funnel_ratio(
    observed: object,
    expected: object,
    ids: object = None,
    *,
    target: float = 1.0,
    overdispersion: str = "none",
    winsorise: float = 0.1,
    trim_method: str = "winsorise",
    transform: str = "sqrt",
    limits: str = "spiegelhalter",
    min_units: int = 10,
    grid_points: int = 200,
) -> FunnelResult:
    """Funnel plot of standardised ratios O / E (e.g. infections observed / expected).

    ``observed`` (O >= 0, e.g. risk-adjusted counts; whole numbers are not required) and
    ``expected`` (E > 0) hold one value per unit; NaN marks a missing unit. ``ids`` label the
    units (default: the index of a pandas input, else 0..n-1; must be unique). The precision is
    E and the target ratio ``target`` (> 0, default 1).

    ``limits``: ``"spiegelhalter"`` (interpolated exact Poisson quantiles, Spiegelhalter 2005
    appendix A.1; default), ``"fingertips"`` (PHE Fingertips / PHEindicatormethods: exact
    Garwood interval touching the target) or ``"funnelplotr"`` (FunnelPlotR's chi-square
    limits). ``overdispersion``: ``"none"``, ``"multiplicative"`` (sqrt(phi)) or ``"additive"``
    (DerSimonian-Laird tau^2), estimated from z-scores on the ``transform`` scale (``"sqrt"``:
    z = 2 (sqrt(O) - sqrt(target E)), Spiegelhalter 2005 QSHC; ``"log"``: z = log(O / (target
    E)) sqrt(E), SHMI) after winsorising (or, with ``trim_method="truncate"``, truncating) a
    fraction ``winsorise`` at each end. Over-dispersion is not estimated with fewer than
    ``min_units`` usable units. ``grid_points`` sets the size of the limits grid.

    References: Spiegelhalter (2005) Stat Med 24:1185-1202; Spiegelhalter (2005) QSHC
    14:347-351; Spiegelhalter et al. (2012) JRSS-A 175:1-47.
    """
    require_choice("limits", limits, RATIO_LIMITS)
    require_choice("transform", transform, RATIO_TRANSFORMS)
    check_settings(overdispersion, winsorise, trim_method, min_units, grid_points)
    if not np.isfinite(float(target)) or float(target) <= 0:
        raise ValueError(f"target must be a finite ratio > 0; got {target!r}")
    observed_array, expected_array = paired(("observed", "expected"), observed, expected)
    require_non_negative("observed", observed_array)
    require_positive("expected", expected_array)
    return _build(
        data_type="ratio",
        numerator=observed_array,
        denominator=expected_array,
        units=unit_ids(ids, observed_array.size, observed, expected),
        target=float(target),
        target_source="fixed",
        limits_method=limits,
        transform=transform,
        overdispersion=overdispersion,
        trim_method=trim_method,
        winsorise=float(winsorise),
        min_units=int(min_units),
        grid_points=int(grid_points),
    )


def funnel_proportion(
    numerator: object,
    denominator: object,
    ids: object = None,
    *,
    target: float | str,
    overdispersion: str = "none",
    winsorise: float = 0.1,
    trim_method: str = "winsorise",
    limits: str = "spiegelhalter",
    min_units: int = 10,
    grid_points: int = 200,
) -> FunnelResult:
    """Funnel plot of proportions x / n against a target (a fixed objective or the pooled value).

    ``numerator`` (0 <= x <= n; weighted counts need not be whole) and ``denominator`` (n > 0,
    whole numbers with the default exact binomial limits) hold one value per unit; NaN marks a
    missing unit. ``target`` is a proportion in (0, 1) or ``"pooled"`` (sum x / sum n). The
    precision is n; the limits grid holds whole numbers.

    ``limits``: ``"spiegelhalter"`` (interpolated exact binomial quantiles, Spiegelhalter 2005
    appendix A.1; default) or ``"wilson"`` (target -/+ z sqrt(target (1 - target) / n), where
    the Wilson score interval touches the target: PHE Fingertips / PHEindicatormethods).
    Over-dispersion z-scores use the arcsine square-root scale, z = (asin(sqrt(x / n)) -
    asin(sqrt(target))) 2 sqrt(n), as in FunnelPlotR; other arguments as in
    :func:`funnel_ratio`.

    References: Spiegelhalter (2005) Stat Med 24:1185-1202; Spiegelhalter et al. (2012)
    JRSS-A 175:1-47; OHID Fingertips technical guidance (funnel plots for proportions).
    """
    require_choice("limits", limits, PROPORTION_LIMITS)
    check_settings(overdispersion, winsorise, trim_method, min_units, grid_points)
    x, n = paired(("numerator", "denominator"), numerator, denominator)
    require_non_negative("numerator", x)
    require_positive("denominator", n)
    require_not_greater("numerator", x, "denominator", n)
    if limits == "spiegelhalter":
        check_whole_denominators(n)
    chosen = proportion_target(target, x, n)
    return _build(
        data_type="proportion",
        numerator=x,
        denominator=n,
        units=unit_ids(ids, x.size, numerator, denominator),
        target=chosen,
        target_source="pooled" if isinstance(target, str) else "fixed",
        limits_method=limits,
        transform="arcsine",
        overdispersion=overdispersion,
        trim_method=trim_method,
        winsorise=float(winsorise),
        min_units=int(min_units),
        grid_points=int(grid_points),
    )
