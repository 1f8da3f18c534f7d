"""Statistics core: every published number with its uncertainty and its method.

No project dependencies (numpy, scipy, pandas only). All functions are vectorised over
establishments; scalar calls return a self-describing :class:`Estimate`.

* confidence intervals by the catalogue's method code: :func:`ci_method` (interval and
  label), :func:`ci_label`, :data:`CI_LABELS`
* proportions: :func:`wilson_interval`, :func:`exact_interval`, :func:`proportion`
* Poisson counts: :func:`poisson_exact_interval`, :func:`byar_interval`, :func:`rate`,
  :func:`standardised_ratio` (observed / expected)
* peer comparison: :func:`quantiles`, :func:`percentile_bands`, :func:`quartile_bands`
* changes between two estimates: :func:`difference_interval` (MOVER), :func:`significant`
* funnel plots: :func:`funnel_ratio` (O / E), :func:`funnel_proportion` (x / n), returning a
  :class:`FunnelResult` (limits, flags, over-dispersion phi and tau^2, method)
* SPC charts of monthly series: :func:`xmr` (individuals), :func:`p_chart` (proportions),
  returning an :class:`SpcChart` (limits, NHS Making Data Count rules, point classes,
  variation and assurance)
"""

from hospiscope.stats.ci_labels import CI_LABELS, CI_METHOD_CODES
from hospiscope.stats.ci_methods import CiMethod, ci_label, ci_method
from hospiscope.stats.differences import difference_interval, significant
from hospiscope.stats.estimate import (
    RESULT_COLUMNS,
    Estimate,
    estimates_frame,
    normalise_confidence,
    two_sided_z,
)
from hospiscope.stats.funnel import (
    FunnelResult,
    funnel_proportion,
    funnel_ratio,
)
from hospiscope.stats.percentiles import (
    DIRECTIONS,
    percentile_bands,
    quantiles,
    quartile_bands,
)
from hospiscope.stats.poisson import (
    POISSON_METHODS,
    byar_interval,
    poisson_exact_interval,
    rate,
    standardised_ratio,
)
from hospiscope.stats.proportions import (
    PROPORTION_METHODS,
    exact_interval,
    proportion,
    wilson_interval,
)
from hospiscope.stats.spc import SpcChart, p_chart, xmr

__all__ = [
    "CI_LABELS",
    "CI_METHOD_CODES",
    "DIRECTIONS",
    "POISSON_METHODS",
    "PROPORTION_METHODS",
    "RESULT_COLUMNS",
    "CiMethod",
    "Estimate",
    "FunnelResult",
    "SpcChart",
    "byar_interval",
    "ci_label",
    "ci_method",
    "difference_interval",
    "estimates_frame",
    "exact_interval",
    "funnel_proportion",
    "funnel_ratio",
    "normalise_confidence",
    "p_chart",
    "percentile_bands",
    "poisson_exact_interval",
    "proportion",
    "quantiles",
    "quartile_bands",
    "rate",
    "significant",
    "standardised_ratio",
    "two_sided_z",
    "wilson_interval",
    "xmr",
]
