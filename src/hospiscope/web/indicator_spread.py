"""How the establishments' values of one campaign are spread: a histogram on round bin edges
with the quartiles and the national value (where it falls among the establishments), and the
same quartiles for each legal status.

These are computed by the portal from the establishments' values: a description of their
distribution, not a result of a group. The value of a group as a whole (pooled numerators and
denominators, with a CI) is the engine's alone; for the legal statuses it is shown beside the
quartiles only where the engine stored it (`found.groups["statut"]`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pydantic import BaseModel

from hospiscope.catalogue.meta import UNKNOWN as MISSING_GROUP
from hospiscope.catalogue.meta import IndicatorMeta
from hospiscope.reports import format as fr
from hospiscope.sources.finess.legal_status import (
    FOR_PROFIT,
    LABELS,
    NON_PROFIT,
    PUBLIC,
    UNKNOWN,
)
from hospiscope.web.indicator_data import Campaign
from hospiscope.web.values import number

LEGAL_STATUSES = (PUBLIC, NON_PROFIT, FOR_PROFIT, UNKNOWN)  # the codebook's order, never a rank
NICE_STEPS = (1, 2, 2.5, 5)
# The smallest round width that gives at most this many bins (about 10 to 20; fewer for a few
# dozen values, whose bins would be mostly empty: twice the square root of their number).
MAX_BINS, FEWEST_MAX_BINS = 20, 5
MIN_FOR_QUARTILES = 4  # quartiles of fewer values say nothing the values themselves do not
# Bounds written with their unit (a class grid's bounds are written the same way).
UNITS_ON_BOUNDS = ("%", "/100")
QUARTILE_METHOD = (
    "Quartiles calculés par hospiscope sur les valeurs des établissements (interpolation "
    "linéaire entre les deux valeurs les plus proches, méthode usuelle des tableurs)."
)


class Bin(BaseModel):
    lower: float
    upper: float
    closed: bool  # the upper bound is included (the last bin)
    count: int
    label: str  # French: "de 20 % à moins de 25 %"


class Spread(BaseModel):
    count: int  # establishments with a value
    minimum: float
    q1: float | None  # None with fewer than MIN_FOR_QUARTILES values
    median: float
    q3: float | None
    maximum: float
    national: float | None
    below_national: int | None  # establishments whose value is below the national value
    step: float | None  # the width of every bin (None: every value is the same)
    step_label: str | None  # French: "5 points", "0,1"
    bins: list[Bin]
    method: str


class StatusRow(BaseModel):
    code: str
    label: str
    establishments: int  # with a value in the campaign
    q1: float | None
    median: float | None
    q3: float | None
    # The engine's value of the status as a whole, where it stored one (never the portal's).
    value: float | None
    ci_low: float | None
    ci_high: float | None
    url: str


class StatusTable(BaseModel):
    rows: list[StatusRow]
    pooled: bool  # the engine stored a value for the statuses
    method: str


def values_of(found: Campaign) -> np.ndarray:
    return found.establishments["value"].dropna().to_numpy(dtype=float)


def spread(meta: IndicatorMeta, found: Campaign) -> Spread | None:
    """The histogram and statistics of the campaign's values (None: no value, or values
    that are codes — a decision level — whose spread means nothing)."""
    values = values_of(found)
    if meta.kind == "level" or not len(values):
        return None
    national = number(found.national["value"]) if found.national else None
    q1, median, q3 = quartiles(values)
    low, high = float(values.min()), float(values.max())
    whole = bool(np.all(values == np.round(values)))
    if national is not None:  # the marker is always on the axis
        low, high = min(low, national), max(high, national)
    edges = nice_edges(low, high, whole=whole, most=bin_limit(len(values)))
    step = edges[1] - edges[0] if len(edges) > 1 else None
    return Spread(
        count=len(values),
        minimum=float(values.min()),
        q1=q1,
        median=float(median),
        q3=q3,
        maximum=float(values.max()),
        national=national,
        below_national=int((values < national).sum()) if national is not None else None,
        step=step,
        step_label=width(step, meta.unit) if step is not None else None,
        bins=_bins(values, edges, meta.unit),
        method=QUARTILE_METHOD,
    )


def quartiles(values: np.ndarray) -> tuple[float | None, float | None, float | None]:
    """First quartile, median, third quartile (numpy's default, linear interpolation); the
    quartiles are None with fewer than MIN_FOR_QUARTILES values, the median only without
    any."""
    if not len(values):
        return None, None, None
    q1, median, q3 = (float(q) for q in np.quantile(values, [0.25, 0.5, 0.75]))
    if len(values) < MIN_FOR_QUARTILES:
        return None, median, None
    return q1, median, q3


def bin_limit(count: int) -> int:
    return min(MAX_BINS, max(FEWEST_MAX_BINS, 2 * math.ceil(math.sqrt(count))))


def nice_edges(
    low: float, high: float, *, whole: bool = False, most: int = MAX_BINS
) -> list[float]:
    """Round bin edges from below `low` to `high` or above: the smallest width of 1, 2, 2,5
    or 5 × 10ⁿ (whole numbers only for whole values) that gives at most `most` bins.
    One edge when `low == high`."""
    if high <= low:
        return [low]
    magnitude = 10 ** math.floor(math.log10((high - low) / most))
    for power in range(4):
        for multiple in NICE_STEPS:
            step = multiple * magnitude * 10**power
            if whole and not float(step).is_integer():
                continue
            # A tolerance: 100 / 5 is 20 bins, not 21 because of rounding.
            first = math.floor(low / step + 1e-9)
            last = math.ceil(high / step - 1e-9)
            if last - first <= most:
                return [_round(i * step) for i in range(first, last + 1)]
    raise AssertionError("unreachable: a width 10⁴ times the first gives one or two bins")


def _round(edge: float) -> float:
    """0.30000000000000004 → 0.3: edges are round numbers."""
    return float(round(edge, 10))


def _bins(values: np.ndarray, edges: list[float], unit: str) -> list[Bin]:
    if len(edges) == 1:
        only = edges[0]
        label = f"toutes égales à {bound(only, unit)}"
        return [Bin(lower=only, upper=only, closed=True, count=len(values), label=label)]
    counts, _ = np.histogram(values, bins=edges)  # numpy's last bin includes its upper bound
    last = len(counts) - 1
    return [
        Bin(
            lower=lower,
            upper=upper,
            closed=index == last,
            count=int(count),
            label=f"de {bound(lower, unit)} à {'' if index == last else 'moins de '}"
            f"{bound(upper, unit)}",
        )
        for index, (lower, upper, count) in enumerate(
            zip(edges[:-1], edges[1:], counts, strict=True)
        )
    ]


def width(step: float, unit: str) -> str:
    """The width of a bin: points for a percentage or a score out of 100."""
    text = fr.number(step, 2, trim=True)
    if unit in UNITS_ON_BOUNDS:
        return f"{text}{fr.NBSP}point{'s' if step >= 2 else ''}"
    return bound(step, unit)


def bound(value: float, unit: str) -> str:
    text = fr.number(value, 2, trim=True)
    if unit == "%":
        return f"{text}{fr.NNBSP}%"
    return f"{text}{unit}" if unit in UNITS_ON_BOUNDS else text


def status_table(meta: IndicatorMeta, found: Campaign, list_url: str) -> StatusTable | None:
    """Each legal status of the campaign's establishments, in the codebook's order: how many
    have a value, the quartiles of their values, and the engine's value of the status where it
    stored one (None: no value, or values that are codes)."""
    rows = found.establishments
    if meta.kind == "level" or rows.empty or rows["value"].isna().all():
        return None
    statuses = legal_statuses(rows)
    pooled = _pooled(found.groups.get("statut"))
    present = set(statuses) | set(pooled)
    table = []
    for code in (c for c in LEGAL_STATUSES if c in present):
        values = rows.loc[statuses == code, "value"].dropna().to_numpy(dtype=float)
        q1, median, q3 = quartiles(values)
        engine = pooled.get(code, {})
        table.append(
            StatusRow(
                code=code,
                label=LABELS[code],
                establishments=len(values),
                q1=q1,
                median=median,
                q3=q3,
                value=number(engine.get("value")),
                ci_low=number(engine.get("ci_low")),
                ci_high=number(engine.get("ci_high")),
                url=f"{list_url}&statut={code}",
            )
        )
    return StatusTable(
        rows=table, pooled=any(r.value is not None for r in table), method=QUARTILE_METHOD
    )


def legal_statuses(rows: pd.DataFrame) -> pd.Series:
    """The legal status of each row; unknown for an establishment missing from the registry
    (or a code the codebook does not know)."""
    status = rows["legal_status"]
    return status.where(status.isin(LEGAL_STATUSES), UNKNOWN)


def _pooled(frame: pd.DataFrame | None) -> dict[str, dict]:
    """The engine's row of each status. The engine names the group of a missing status
    INCONNU: unknown too, unless both exist (then neither value is the unknown status's)."""
    if frame is None or frame.empty:
        return {}
    rows = {r["entity_id"]: r for r in frame.to_dict("records")}
    if MISSING_GROUP in rows:
        missing = rows.pop(MISSING_GROUP)
        if UNKNOWN in rows:
            rows.pop(UNKNOWN)
        else:
            rows[UNKNOWN] = missing
    return {code: row for code, row in rows.items() if code in LEGAL_STATUSES}
