"""The result of an SPC chart (:class:`SpcChart`), in its own module like FunnelResult: the
functions that build it (:mod:`hospiscope.stats.spc`) and the code that reads it import this
one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import hospiscope.stats._spc_text as text
from hospiscope.stats._funnel_export import plain, records


@dataclass(frozen=True, eq=False)
class SpcChart:
    """An SPC chart as data. ``points``: one row per month (the input's index kept) with
    ``segment``, the inputs, ``value``, the limits (``centre, lower_2s, upper_2s, lower,
    upper``), one boolean per rule, the retained ``rule`` and its ``side`` ("high", "low"),
    ``point_class`` and French ``rule_label`` and ``class_label``. ``segments``: one row per
    segment with its limits, counts by class, ``trial``, ``variation`` and ``reason``."""

    chart: str
    direction: str
    target: float | None
    points: pd.DataFrame
    segments: pd.DataFrame
    variation: str | None
    assurance: str | None
    method: str
    note: str

    @property
    def variation_label(self) -> str:
        return text.CLASS_LABELS.get(self.variation, "")

    @property
    def assurance_label(self) -> str:
        return text.ASSURANCE_LABELS.get(self.assurance, "")

    def to_dict(self) -> dict:
        """Plain JSON-ready data (NaN becomes None) for an API or a chart library."""
        return {
            "chart": self.chart,
            "direction": self.direction,
            "target": plain(self.target),
            "variation": self.variation,
            "variation_label": self.variation_label,
            "assurance": self.assurance,
            "assurance_label": self.assurance_label,
            "method": self.method,
            "note": self.note,
            "segments": records(_labelled(self.segments, ["first", "last"])),
            "points": records(_labelled(self.points.reset_index(names="period"), ["period"])),
        }


def _labelled(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Months (dates, periods) as ISO text for JSON; positions stay numbers."""
    frame = frame.copy()
    for column in columns:
        frame[column] = [_label(value) for value in frame[column]]
    return frame


def _label(value):
    if isinstance(value, (int, float, np.generic)):
        return plain(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
