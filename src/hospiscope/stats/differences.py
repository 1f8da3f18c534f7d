"""Confidence interval of a change between two independent estimates (e.g. a national value
in two campaigns) from their own confidence intervals: the MOVER ("method of variance
estimates recovery") of Zou & Donner (2008). With Wilson intervals it is Newcombe's (1998)
hybrid score interval for a difference of proportions (his method 10); with symmetric normal
intervals it is the usual sqrt(se1² + se2²) interval. Each side borrows the half-widths that
point its way, so skewed intervals (small or extreme proportions, exact Poisson) keep their
skew.

Estimates are assumed independent. Where they are positively correlated (the same
establishments in two campaigns), the interval is conservative: wider than the true one.

References
----------
Newcombe RG (1998). Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Stat Med 17:873-890.
Zou GY, Donner A (2008). Construction of confidence limits about effect measures: a general
    approach. Stat Med 27:1693-1702.
"""

from __future__ import annotations

import numpy as np

from hospiscope.stats._validation import to_float_array

METHOD = "MOVER (Newcombe 1998 ; Zou et Donner 2008)"


def difference_interval(
    value: object,
    low: object,
    high: object,
    previous: object,
    previous_low: object,
    previous_high: object,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value − previous, lower, upper), vectorised. Both intervals must be at the same
    confidence level, which the result has; a missing bound gives NaN bounds."""
    v, l1, u1 = (to_float_array(n, x) for n, x in (("value", value), ("low", low), ("high", high)))
    p, l2, u2 = (
        to_float_array(n, x)
        for n, x in (
            ("previous", previous),
            ("previous_low", previous_low),
            ("previous_high", previous_high),
        )
    )
    with np.errstate(invalid="ignore"):
        if np.any((l1 > v) | (v > u1) | (l2 > p) | (p > u2)):
            raise ValueError("each value must lie within its confidence interval")
        change = v - p
        lower = change - np.sqrt((v - l1) ** 2 + (u2 - p) ** 2)
        upper = change + np.sqrt((u1 - v) ** 2 + (p - l2) ** 2)
    incomplete = np.isnan(l1) | np.isnan(u1) | np.isnan(l2) | np.isnan(u2)
    lower, upper = np.where(incomplete, np.nan, lower), np.where(incomplete, np.nan, upper)
    return change, lower, upper


def significant(lower: object, upper: object) -> np.ndarray:
    """True where the interval of a change excludes zero (NaN bounds: False)."""
    lo, hi = to_float_array("lower", lower), to_float_array("upper", upper)
    with np.errstate(invalid="ignore"):
        return (lo > 0) | (hi < 0)
