"""Self-describing statistical results.

Every published number carries its interval, its confidence level, what it is (``statistic``)
and how the interval was computed (``method``), as in the "full" output of PHEindicatormethods
(UKHSA, https://github.com/ukhsa-collaboration/PHEindicatormethods), which appends
``value, lowercl, uppercl, confidence, statistic, method`` to every result.

Scalar inputs give one frozen :class:`Estimate`; vectorised inputs give a
:class:`pandas.DataFrame` with the columns :data:`RESULT_COLUMNS` (plus ``numerator`` and
``denominator`` when they are known).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

RESULT_COLUMNS = ("value", "lower", "upper", "confidence", "statistic", "method")

# What the vectorised functions return: an array, or a numpy scalar for scalar inputs.
ArrayOrScalar = np.ndarray | np.float64


def normalise_confidence(confidence: float) -> float:
    """Return the confidence level as a proportion: 0.95 and 95 both give 0.95.

    Values in (0, 1) are proportions, values in (1, 100) are percentages. Anything else
    (0, 1 itself, 100, negatives, NaN, booleans, text) is refused, because it is either
    meaningless or ambiguous (1 could mean 100 % or 1 %).
    """
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.number)):
        raise TypeError(f"confidence must be a number such as 0.95 or 95; got {confidence!r}")
    level = float(confidence)
    if 0 < level < 1:
        return level
    if 1 < level < 100:
        return level / 100
    raise ValueError(
        "confidence must be a proportion in (0, 1) such as 0.95, or a percentage in "
        f"(1, 100) such as 95; got {confidence!r}"
    )


def two_sided_z(confidence: float) -> float:
    """Standard normal quantile z such that P(-z < Z < z) equals the confidence level."""
    return float(stats.norm.isf((1 - normalise_confidence(confidence)) / 2))


@dataclass(frozen=True)
class Estimate:
    """One point estimate with its confidence interval and its provenance.

    ``numerator`` and ``denominator`` are the inputs (events and population, observed and
    expected...) so that a published value can always be traced back to its counts.
    """

    value: float
    lower: float
    upper: float
    confidence: float
    statistic: str
    method: str
    numerator: float | None = None
    denominator: float | None = None

    def __post_init__(self) -> None:
        # A frozen dataclass can still normalise its own fields during construction.
        object.__setattr__(self, "confidence", normalise_confidence(self.confidence))
        for name in ("value", "lower", "upper"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.lower > self.upper:  # False whenever a bound is NaN, which is allowed
            raise ValueError(f"lower ({self.lower}) must not exceed upper ({self.upper})")

    @property
    def is_missing(self) -> bool:
        """True when no value could be computed (e.g. a zero denominator)."""
        return math.isnan(self.value)


def estimates_frame(
    value: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    *,
    confidence: float,
    statistic: str,
    method: str,
    numerator: np.ndarray | None = None,
    denominator: np.ndarray | None = None,
    index: pd.Index | None = None,
) -> pd.DataFrame:
    """Assemble vectorised results into one row per estimate.

    Columns: ``value, lower, upper, confidence, statistic, method`` then, when given,
    ``numerator, denominator``. Arrays of any shape are flattened in C order.
    """
    columns: dict[str, object] = {
        "value": np.ravel(value),
        "lower": np.ravel(lower),
        "upper": np.ravel(upper),
    }
    size = columns["value"].size
    columns["confidence"] = np.full(size, normalise_confidence(confidence))
    columns["statistic"] = [statistic] * size
    columns["method"] = [method] * size
    if index is not None and len(index) != size:
        index = None  # the caller's rows do not match the broadcast shape: number from 0
    if numerator is not None:
        columns["numerator"] = np.ravel(np.broadcast_to(numerator, np.shape(value)))
    if denominator is not None:
        columns["denominator"] = np.ravel(np.broadcast_to(denominator, np.shape(value)))
    return pd.DataFrame(columns, index=index)


def package_result(
    value: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    *,
    confidence: float,
    statistic: str,
    method: str,
    numerator: np.ndarray,
    denominator: np.ndarray,
    index: pd.Index | None = None,
) -> Estimate | pd.DataFrame:
    """Return an :class:`Estimate` for scalar inputs, otherwise a DataFrame."""
    if np.ndim(value) == 0:
        return Estimate(
            value=float(value),
            lower=float(lower),
            upper=float(upper),
            confidence=confidence,
            statistic=statistic,
            method=method,
            numerator=float(numerator),
            denominator=float(denominator),
        )
    return estimates_frame(
        value,
        lower,
        upper,
        confidence=confidence,
        statistic=statistic,
        method=method,
        numerator=numerator,
        denominator=denominator,
        index=index,
    )


def format_multiplier(multiplier: float) -> str:
    """Readable multiplier for statistic names: 100000 rather than 1e+05."""
    return str(int(multiplier)) if float(multiplier).is_integer() else f"{multiplier:g}"


def scalar_or_array(array: np.ndarray) -> ArrayOrScalar:
    """Give back a numpy scalar for 0-d results, so that scalar calls read naturally."""
    return array[()] if np.ndim(array) == 0 else array


def index_of(*inputs: object) -> pd.Index | None:
    """The index of the first pandas input, so that results line up with the caller's rows.

    Inputs are combined by position (numpy broadcasting), never aligned on their index:
    callers pass columns of one table.
    """
    for candidate in inputs:
        if isinstance(candidate, (pd.Series, pd.DataFrame)):
            return candidate.index
    return None
