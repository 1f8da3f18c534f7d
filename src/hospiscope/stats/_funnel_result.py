"""The result of a funnel plot (:class:`FunnelResult`), in its own module: the functions
that build it (:mod:`hospiscope.stats.funnel`) and the code that reads it both import this
one, and it imports neither."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hospiscope.stats._funnel_export import plain, records
from hospiscope.stats._funnel_limits import LEVEL_SUFFIX, LimitSpec, limits_frame
from hospiscope.stats._validation import (
    require_choice,
    require_finite_or_missing,
    require_positive,
    require_whole_numbers,
    to_float_array,
)
from hospiscope.stats.estimate import normalise_confidence

SIDES = ("high", "low", "both")
# The fields of to_dict(), in its order: settings, then what was estimated.
_SETTINGS = (
    "data_type",
    "target",
    "target_source",
    "limits_method",
    "transform",
    "overdispersion",
    "trim_method",
    "winsorise",
    "min_units",
)
_ESTIMATES = (
    "n_units",
    "n_used",
    "n_winsorised",
    "overdispersion_estimated",
    "adjusted",
)


@dataclass(frozen=True, eq=False)
class FunnelResult:
    """Everything needed to draw and explain a funnel plot, with no styling.

    ``units`` has one row per unit: ``unit, numerator, denominator, value, precision, z,
    z_adjusted, trimmed`` (z winsorised or truncated for the over-dispersion estimate), the
    limits at the unit's precision (:data:`LIMIT_COLUMNS`) and the flags
    (:data:`FLAG_COLUMNS`). For ratios ``numerator`` is O and ``denominator`` is E.
    ``limits`` has ``precision`` then :data:`LIMIT_COLUMNS` over a geometric grid.
    ``phi`` and ``tau2`` are NaN when over-dispersion was not estimated; ``adjusted`` says
    whether the adjusted limits differ from the unadjusted ones.
    """

    data_type: str
    target: float
    target_source: str
    confidence_levels: tuple[float, ...]
    limits_method: str
    transform: str
    overdispersion: str
    trim_method: str
    winsorise: float
    min_units: int
    units: pd.DataFrame
    limits: pd.DataFrame
    phi: float
    tau2: float
    n_units: int
    n_used: int
    n_winsorised: int
    overdispersion_estimated: bool
    adjusted: bool
    method: str
    note: str

    def outliers(
        self, level: float = 0.998, adjusted: bool = True, side: str = "high"
    ) -> pd.DataFrame:
        """Units beyond the ``level`` limit (0.95 or 0.998; 95 or 99.8 accepted) on ``side``
        ("high", "low" or "both"), with or without the over-dispersion adjustment."""
        suffix = LEVEL_SUFFIX.get(round(normalise_confidence(level), 6))
        if suffix is None:
            raise ValueError(f"level must be 0.95 or 0.998 (95 or 99.8); got {level!r}")
        require_choice("side", side, SIDES)
        tail = "_adjusted" if adjusted else ""
        sides = ("high", "low") if side == "both" else (side,)
        selected = np.zeros(len(self.units), dtype=bool)
        for name in sides:
            selected |= self.units[f"{name}_{suffix}{tail}"].to_numpy(dtype=bool)
        return self.units.loc[selected].copy()

    def to_dict(self) -> dict:
        """Everything above as plain JSON-ready data, what an API, a chart library or a report
        needs to draw and explain the funnel without this package: the settings, the
        over-dispersion estimates (phi, tau2), the method and note in French, the limits
        table (`precision` then one column per limit), the units with their z-scores, limits
        and flags, and the outliers of every flag (unit ids). NaN and infinities become
        None."""
        outliers = {
            flag: [plain(unit) for unit in self.units.loc[self.units[flag], "unit"]]
            for flag in self.units.columns
            if flag.startswith(("high_", "low_"))
        }
        return {
            **{name: plain(getattr(self, name)) for name in _SETTINGS},
            "confidence_levels": list(self.confidence_levels),
            "phi": plain(self.phi),
            "tau2": plain(self.tau2),
            **{name: plain(getattr(self, name)) for name in _ESTIMATES},
            "method": self.method,
            "note": self.note,
            "limits": records(self.limits),
            "units": records(self.units),
            "outliers": outliers,
        }

    def limits_at(self, precision: object) -> pd.DataFrame:
        """The limits table (same columns as ``limits``) at the given precisions."""
        values = np.atleast_1d(to_float_array("precision", precision))
        require_finite_or_missing("precision", values)
        require_positive("precision", values)
        if self.data_type == "proportion" and self.limits_method == "spiegelhalter":
            require_whole_numbers("precision", values)
        return limits_frame(_spec_of(self), values)


def _spec_of(result: FunnelResult) -> LimitSpec:
    applied = result.overdispersion if result.adjusted else "none"
    return LimitSpec(
        result.data_type,
        result.limits_method,
        result.transform,
        result.target,
        applied,
        result.phi,
        result.tau2,
    )
