"""Statistical process control (SPC) charts of a monthly series, NHS "Making Data Count" style.

* :func:`xmr`: individuals (XmR) chart. Centre = mean; moving ranges MR = |x_i - x_(i-1)|;
  process limits mean ± 2.66 MR̄ (3 sigma with sigma = MR̄ / 1.128; 2.66 is the constant
  NHSRplotthedots uses) and 2-sigma lines at mean ± (2 / 3) 2.66 MR̄. Moving ranges of
  3.267 MR̄ or more are screened out and MR̄ recomputed (Nelson 1982), which is
  NHSRplotthedots's default ``screen_outliers = TRUE``; NHS England's Excel tools do not
  screen, ``screen_outliers=False`` reproduces them.
* :func:`p_chart`: monthly proportion x_i / n_i with varying n: p̄ = Σx / Σn, limits
  p̄ ± 3 sqrt(p̄ (1 - p̄) / n_i) and 2-sigma lines, clipped to [0, 1]. (Laney's p' chart for
  over-dispersed large denominators would be a later option.)

Both apply the run rules of :mod:`hospiscope.stats._spc_rules` (point beyond the limits,
7-point trend, 2 of 3 beyond 2 sigma, 7-point shift) and class each point as NHSRplotthedots's
``point_type`` does, using the indicator's direction.

Conventions:

* ``rebase``: positions where a new segment starts; each segment has its own limits and its
  own runs (NHSRplotthedots ``rebase``). ``baseline=k``: limits from the first k months of
  each segment only, missing months counted (NHSRplotthedots ``fix_after_n_points``);
* a segment with fewer than ``min_points`` usable values (6, the "as few as five or six
  values" of Wheeler quoted by NHSRplotthedots) gets no limits: its points are
  ``"insufficient"`` and its ``reason`` says why. Fewer than 12 give trial limits
  (``trial``), as NHSRplotthedots warns;
* missing months (NaN, or n = 0) stay in the table as ``"missing"``, are left out of the
  centre, break moving ranges and break every run, as NA does in NHSRplotthedots;
* a constant series has MR̄ = 0: nothing is screened, the limits equal the centre and none of
  its points is flagged (NHSRplotthedots would give NaN limits, with the same point classes);
  after a constant baseline, any other value is beyond the limits;
* the chart's ``variation`` is the class of its last non-missing point (NHSRplotthedots's
  variation icon); ``assurance`` compares a ``target`` with the limits of the last point:
  above the upper limit or below the lower one it is consistently failed or passed
  according to the direction, else "inconsistent" (hit and miss); none for direction
  "none" (NHSRplotthedots ``ptd_calculate_assurance_type``).

References: NHS England, Making Data Count (2019); NHS-R Community, NHSRplotthedots 0.2.2
(MIT); Nelson LS (1982), Control charts for individual measurements, J Qual Technol 14:172-3;
Montgomery DC, Introduction to Statistical Quality Control, chapter 7 (p chart).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import hospiscope.stats._spc_text as text
from hospiscope.stats._funnel_export import plain
from hospiscope.stats._spc_inputs import index_of, options, segments, series
from hospiscope.stats._spc_result import SpcChart
from hospiscope.stats._spc_rules import (
    COMMON_CAUSE,
    INSUFFICIENT,
    MISSING,
    RULES,
    apply_rules,
    point_classes,
)
from hospiscope.stats._validation import require_non_negative, require_not_greater

MIN_POINTS = 6
TRIAL_POINTS = 12
XMR_LIMIT = 2.66
SCREEN_FACTOR = 3.267
POINT_CLASSES = (
    COMMON_CAUSE,
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
    MISSING,
    INSUFFICIENT,
)
ASSURANCES = tuple(text.ASSURANCE_LABELS)
# Limit lines and their distance from the centre in sigmas.
_LINES = {"centre": 0, "lower_2s": -2, "upper_2s": 2, "lower": -3, "upper": 3}


def xmr(
    values: object,
    *,
    direction: str = "none",
    baseline: int | None = None,
    rebase: object = (),
    target: float | None = None,
    screen_outliers: bool = True,
    min_points: int = MIN_POINTS,
) -> SpcChart:
    """XmR chart of ``values``: one per month in time order, NaN for a missing month.

    ``direction`` is ``"higher_is_better"``, ``"lower_is_better"`` or ``"none"``;
    ``rebase`` positions start new segments; ``baseline=k`` takes the limits from the first
    k months of each segment; ``target`` gives the assurance (module docstring).
    """
    y = series("values", values)
    settings = options(direction, baseline, rebase, target, min_points)
    parts = segments(y.size, rebase)

    def limits(part: slice, used: np.ndarray) -> dict:
        x = y[part]
        pair = used[1:] & used[:-1]  # a moving range needs two consecutive usable months
        ranges = np.abs(np.diff(x))[pair]
        mean_range = np.mean(ranges) if ranges.size else np.nan
        screened = 0
        if screen_outliers and mean_range > 0:
            kept = ranges < SCREEN_FACTOR * mean_range
            screened, mean_range = int((~kept).sum()), np.mean(ranges[kept])
        sigma = np.full(x.size, XMR_LIMIT / 3 * mean_range)
        return {
            "centre": np.mean(x[used]) if used.any() else np.nan,
            "sigma": sigma,
            "mean_moving_range": mean_range,
            "n_screened": screened,
            "no_range": not ranges.size,
            "constant": mean_range == 0,
        }

    moving = np.abs(np.diff(y, prepend=np.nan))
    moving[[part.start for part in parts]] = np.nan  # no range across a rebase
    inputs = {"value": y, "moving_range": moving}
    method = text.METHODS["xmr"] + (f" ; {text.SCREENING}" if screen_outliers else "")
    return _chart("xmr", inputs, limits, parts, index_of(values), method, settings)


def p_chart(
    numerators: object,
    denominators: object,
    *,
    direction: str = "none",
    baseline: int | None = None,
    rebase: object = (),
    target: float | None = None,
    min_points: int = MIN_POINTS,
) -> SpcChart:
    """p-chart of the monthly proportions ``numerators / denominators`` (counts, x <= n);
    a month with n = 0 or a missing count is missing. Options as in :func:`xmr`."""
    x, n = series("numerators", numerators), series("denominators", denominators)
    if x.shape != n.shape:
        raise ValueError(f"numerators and denominators differ in length: {x.size}, {n.size}")
    require_non_negative("numerators", x)
    require_non_negative("denominators", n)
    require_not_greater("numerators", x, "denominators", n)
    settings = options(direction, baseline, rebase, target, min_points)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, x / n, np.nan)

    def limits(part: slice, used: np.ndarray) -> dict:
        total = n[part][used].sum()
        centre = x[part][used].sum() / total if total > 0 else np.nan
        with np.errstate(invalid="ignore", divide="ignore"):
            sigma = np.where(n[part] > 0, np.sqrt(centre * (1 - centre) / n[part]), np.nan)
        return {"centre": centre, "sigma": sigma, "constant": centre in (0.0, 1.0)}

    inputs = {"numerator": x, "denominator": n, "value": p}
    parts = segments(p.size, rebase)
    return _chart("p", inputs, limits, parts, index_of(numerators), text.METHODS["p"], settings)


def _chart(chart, inputs, limits_of, parts, index, method, settings) -> SpcChart:
    value = inputs["value"]
    lines = {name: np.full(value.size, np.nan) for name in _LINES}
    fired = {rule: np.zeros(value.size, dtype=bool) for rule in RULES}
    fired["rule"] = np.full(value.size, None, dtype=object)
    fired["sign"] = np.zeros(value.size, dtype=int)
    classes = np.where(np.isnan(value), MISSING, INSUFFICIENT).astype(object)
    segment = np.zeros(value.size, dtype=int)
    rows = []
    for number, part in enumerate(parts, start=1):
        segment[part] = number
        used = ~np.isnan(value[part])
        if settings["baseline"] is not None:
            used[settings["baseline"] :] = False  # counted in months, as fix_after_n_points
        found = limits_of(part, used)
        has_limits, reason = _reason(found, int(used.sum()), settings)
        if has_limits:
            for name, sigmas in _LINES.items():
                line = found["centre"] + sigmas * found["sigma"]
                lines[name][part] = np.clip(line, 0.0, 1.0) if chart == "p" else line
            rules = apply_rules(value[part], **{name: lines[name][part] for name in _LINES})
            for name, flags in rules.items():
                fired[name][part] = flags
            present = ~np.isnan(value[part])
            classes[part][present] = point_classes(rules["sign"], settings["direction"])[present]
        row = _segment_row(number, part, found, used, classes[part], index, has_limits)
        rows.append({**row, "reason": reason})
    points = _points_frame(segment, inputs, lines, fired, classes, index)
    return SpcChart(
        chart=chart,
        direction=settings["direction"],
        target=settings["target"],
        points=points,
        segments=pd.DataFrame(rows),
        variation=_variation(classes),
        assurance=_assurance(points, settings["target"], settings["direction"]),
        method=f"{method} ; {text.RULES_NOTE}",
        note=_note(rows),
    )


def _reason(found: dict, usable: int, settings: dict) -> tuple[bool, str]:
    """Whether a segment gets limits, and in French why not, or their caveats."""
    if usable < settings["min_points"] or np.isnan(found["centre"]):
        return False, text.too_few(settings["min_points"], usable)
    if found.get("no_range"):
        return False, text.NO_MOVING_RANGE
    notes = [text.trial(TRIAL_POINTS)] if usable < TRIAL_POINTS else []
    if settings["baseline"] is not None:
        notes.append(text.baseline(settings["baseline"]))
    if found["constant"]:
        notes.append(text.CONSTANT)
    return True, " ; ".join(notes)


def _note(rows: list[dict]) -> str:
    if len(rows) == 1:
        return rows[0]["reason"]
    return " ; ".join(
        f"période {row['segment']} : {row['reason']}" for row in rows if row["reason"]
    )


def _segment_row(number, part, found, used, classes, index, has_limits) -> dict:
    sigma = found["sigma"]
    constant_sigma = bool(sigma.size) and bool(np.all(sigma == sigma[0]))  # XmR, not p
    return {
        "segment": number,
        "first": plain(index[part.start]),
        "last": plain(index[part.stop - 1]),
        "n_limits": int(used.sum()),
        "centre": found["centre"] if has_limits else np.nan,
        "sigma": sigma[0] if has_limits and constant_sigma else np.nan,
        "mean_moving_range": found.get("mean_moving_range", np.nan),
        "n_screened": found.get("n_screened", 0),
        "trial": has_limits and int(used.sum()) < TRIAL_POINTS,
        **{f"n_{name}": int(np.sum(classes == name)) for name in POINT_CLASSES},
        "variation": _variation(classes),
    }


def _points_frame(segment, inputs, lines, fired, classes, index) -> pd.DataFrame:
    sign = fired.pop("sign")
    frame = pd.DataFrame({"segment": segment, **inputs, **lines, **fired}, index=index)
    frame["side"] = np.select([sign > 0, sign < 0], ["high", "low"], default=None)
    frame["point_class"] = classes
    frame["rule_label"] = [text.rule_label(r, s) for r, s in zip(fired["rule"], sign, strict=True)]
    frame["class_label"] = [text.CLASS_LABELS[name] for name in classes]
    return frame


def _variation(classes: np.ndarray) -> str | None:
    """The class of the last non-missing point; None when it has no limits."""
    present = [name for name in classes if name != MISSING]
    return present[-1] if present and present[-1] != INSUFFICIENT else None


def _assurance(points: pd.DataFrame, target: float | None, direction: str) -> str | None:
    """NHSRplotthedots's assurance: the target against the limits of the last point."""
    if target is None or direction == "none":
        return None
    limits = points[["lower", "upper"]].dropna()
    if limits.empty:
        return None
    lower, upper = limits.iloc[-1]
    higher_is_better = direction == "higher_is_better"
    if target > upper:
        return "consistent_fail" if higher_is_better else "consistent_pass"
    if target < lower:
        return "consistent_pass" if higher_is_better else "consistent_fail"
    return "inconsistent"
