"""From pooled sums to published values: value and CI (the standard rules, or the indicator's
own `finish`), then — the same for every indicator — statuses, classes from the period's
grid, evolution of the class since the previous period, and positions against references."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hospiscope.catalogue.model import ClassGrid, Indicator
from hospiscope.results.changes import changes
from hospiscope.stats import byar_interval, exact_interval, poisson_exact_interval, wilson_interval

CI_METHOD_LABELS = {
    "wilson": "Wilson",
    "exact": "Clopper-Pearson",
    "poisson_exact": "Garwood",
    "byar": "Byar",
    "normal": "normale",
}
KEYS = ["entity_kind", "entity_id", "period"]
NOT_TAKEN_PART, NOT_VALIDATED, INSUFFICIENT, NOT_CONCERNED = "NR", "NV", "DI", "NC"
# The rule used to place a result against a reference (HAS's own rule is not in our sources).
POSITION_RULE = (
    "Position : l'intervalle de confiance à 95 % est entièrement au-dessus (ou au-dessous) de "
    "la référence ; sinon « non significativement différent » (règle hospiscope)."
)
POSITION_LABELS = np.array(
    ["au-dessus", "en dessous", "non significativement différent"], dtype=object
)
OUTPUT_COLUMNS = [
    *KEYS,
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "ci_level",
    "ci_method",
    "status",
    "class",
    "details",
]


def finalize(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per level, entity and period with every published column."""
    meta = indicator.meta
    if indicator.finish is not None:
        out = indicator.finish(indicator, frame).reset_index(drop=True)
    else:
        out = standard_values(indicator, frame).reset_index(drop=True)
    given_details = out.get("details", [None] * len(out))
    rows = Rows.of(out)
    out["status"] = statuses(meta.min_sample, out, meta.sample_column, rows.establishment)
    blank(out, out["status"].notna().to_numpy(), ["value", "ci_low", "ci_high"])
    given = out.get("class")  # a finish may set categorical classes (decisions, levels)
    out["class"] = classes(indicator, out, rows)
    if given is not None:
        out["class"] = given.where(given.notna(), out["class"])
    extras = [evolutions(out, rows), changes(out, rows.period)]
    if meta.kind in ("rate", "ratio", "score"):
        extras.append(positions(indicator, out, rows))
    out["details"] = details_json(given_details, *extras)
    for column in OUTPUT_COLUMNS:
        if column not in out:
            out[column] = None
    return out[OUTPUT_COLUMNS]


@dataclass(frozen=True)
class Rows:
    """What the steps below need to know of every row, worked out once: comparisons on the
    string columns cost ~0.1 ms each, and the steps used to repeat them row by row."""

    establishment: np.ndarray  # bool
    national: np.ndarray  # bool
    period: np.ndarray  # str(period): grids and evolutions key on it
    period_code: np.ndarray  # the same code for the same period; -1 for a missing period

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Rows:
        kind = frame["entity_kind"].to_numpy(dtype=object)
        codes, periods = pd.factorize(frame["period"], use_na_sentinel=False)
        missing = np.asarray(pd.isna(periods), dtype=bool)
        return cls(
            establishment=kind == "etablissement",
            national=kind == "national",
            period=np.array([str(period) for period in periods], dtype=object)[codes],
            period_code=np.where(missing[codes], -1, codes),
        )


def standard_values(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Counts, rates and ratios: value = numerator (× factor) or numerator / denominator
    (× factor), with the CI of the indicator's method."""
    meta = indicator.meta
    frame = frame.copy()
    numerator = frame["numerator"].to_numpy(dtype=float)
    denominator = frame["denominator"].to_numpy(dtype=float, na_value=np.nan)
    if meta.kind == "count":
        frame["value"] = numerator * meta.factor
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(denominator > 0, numerator / denominator, np.nan)
        frame["value"] = ratio * meta.factor
    low, high = interval(meta.ci_method, numerator, denominator, meta.ci_level)
    frame["ci_low"], frame["ci_high"] = low * meta.factor, high * meta.factor
    frame["ci_level"] = meta.ci_level if meta.ci_method != "none" else np.nan
    frame["ci_method"] = CI_METHOD_LABELS.get(meta.ci_method)
    return frame


def interval(method: str, numerator: np.ndarray, denominator: np.ndarray, level: float):
    """CI bounds of numerator / denominator (proportions, O/E) — NaN for "none"."""
    empty = np.full(numerator.shape, np.nan)
    if method in ("none", "normal"):
        return empty, empty.copy()
    if method in ("wilson", "exact"):
        function = wilson_interval if method == "wilson" else exact_interval
        usable = denominator > 0
        low, high = empty, empty.copy()
        low[usable], high[usable] = function(numerator[usable], denominator[usable], level)
        return low, high
    function = poisson_exact_interval if method == "poisson_exact" else byar_interval
    low, high = function(numerator, level)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(denominator > 0, denominator, np.nan)  # O/E: Poisson CI of O over E
    return low / scale, high / scale


def statuses(
    min_sample: int | None,
    frame: pd.DataFrame,
    sample_column: str,
    establishment: np.ndarray,
) -> pd.Series:
    """At establishment level: NC (not concerned), NR (did not take part), NV (not
    validated), DI (below the minimum sample, or flagged by the definition), in that order of
    precedence; aggregates are always published. Definitions flag rows with `stat_nc`,
    `stat_nr`, `stat_nv`, `stat_di` markers (a missing count or marker counts as 0)."""

    def flagged(column: str) -> np.ndarray:
        return establishment & (_numbers(frame, column) > 0)

    # pandas' own empty object column (it holds NaN, not None: the column reads as before),
    # filled through numpy masks (a masked pandas assignment costs ~0.1 ms each)
    status = pd.Series(None, index=frame.index, dtype=object).to_numpy(copy=True)
    if min_sample:
        sample = _zero_if_missing(_numbers(frame, sample_column))
        status[establishment & (sample < min_sample)] = INSUFFICIENT
    if "stat_di" in frame:
        status[flagged("stat_di")] = INSUFFICIENT
    if "stat_nv" in frame:
        status[flagged("stat_nv")] = NOT_VALIDATED
    if "stat_nr" in frame:
        no_answer = _zero_if_missing(_numbers(frame, "denominator")) == 0
        status[flagged("stat_nr") & no_answer] = NOT_TAKEN_PART
    if "stat_nc" in frame:
        status[flagged("stat_nc")] = NOT_CONCERNED
    return pd.Series(status, index=frame.index, dtype=object)


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats, NaN where missing (numpy comparisons: far cheaper than pandas')."""
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


def _zero_if_missing(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)


def blank(frame: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> None:
    """`frame.loc[rows, columns] = NaN`, done column by column on the usual float columns
    (several times cheaper than `.loc` with a mask and a column list)."""
    if not all(column in frame and frame[column].dtype == np.float64 for column in columns):
        frame.loc[rows, columns] = np.nan
        return
    for column in columns:
        values = frame[column].to_numpy(dtype=float, copy=True)
        values[rows] = np.nan
        frame[column] = values


def classes(indicator: Indicator, frame: pd.DataFrame, rows: Rows) -> list[str | None]:
    """Class of each published establishment value, from the grid of its period."""
    result = np.full(len(frame), None, dtype=object)
    value = _numbers(frame, "value")
    usable = rows.establishment & ~np.isnan(value)
    for period in set(rows.period[usable]):  # one grid lookup per period, not per row
        grid = indicator.meta.class_grid(period)
        if grid is not None:
            selected = usable & (rows.period == period)
            result[selected] = classify(grid, value[selected])
    return result.tolist()


def classify(grid: ClassGrid, values: np.ndarray) -> np.ndarray:
    """`grid.classify` of each value: the first band holding it, lower bound inclusive and
    upper bound exclusive; None when no band does."""
    codes = np.full(values.shape, None, dtype=object)
    unclassified = np.ones(values.shape, dtype=bool)
    for band in grid.bands:
        inside = unclassified.copy()
        if band.lower is not None:
            inside &= values >= band.lower
        if band.upper is not None:
            inside &= values < band.upper
        codes[inside] = band.code
        unclassified &= ~inside
    return codes


def evolutions(frame: pd.DataFrame, rows: Rows) -> list[dict | None]:
    """For establishments: their class (or status) at the previous period, when both exist."""
    result: list[dict | None] = [None] * len(frame)
    ordered = sorted(set(rows.period))
    before = dict(zip(ordered[1:], ordered, strict=False))
    if not before:  # a single period: nothing to compare with
        return result
    label = frame["class"].where(frame["class"].notna(), frame["status"])
    kept = np.flatnonzero(rows.establishment & label.notna().to_numpy(dtype=bool))
    entities = frame["entity_id"].to_numpy(dtype=object)[kept]
    labels, periods = label.to_numpy(dtype=object)[kept], rows.period[kept]
    known = dict(zip(zip(entities, periods, strict=True), labels, strict=True))
    for row, entity, period in zip(kept.tolist(), entities, periods, strict=True):
        earlier = before.get(period)
        if (entity, earlier) in known:
            result[row] = {
                "classe_precedente": known[(entity, earlier)],
                "periode_precedente": earlier,
            }
    return result


def positions(indicator: Indicator, frame: pd.DataFrame, rows: Rows) -> list[dict | None]:
    """For establishments: where the CI lies against the national value of the same period
    and against the target (POSITION_RULE)."""
    low, high = _numbers(frame, "ci_low"), _numbers(frame, "ci_high")
    usable = np.flatnonzero(
        rows.establishment & ~np.isnan(_numbers(frame, "value")) & ~np.isnan(low)
    )
    low, high = low[usable], high[usable]
    reference = national_values(frame, rows)[usable]
    against_national = _positions(low, high, reference)
    against_national[np.isnan(reference)] = None  # no national value that period
    target = indicator.meta.target
    against_target = _positions(low, high, target) if target is not None else [None] * len(usable)
    result: list[dict | None] = [None] * len(frame)
    for row, national, objective in zip(
        usable.tolist(), against_national.tolist(), list(against_target), strict=True
    ):
        entry = {"regle_position": POSITION_RULE}
        if national is not None:
            entry["position_national"] = national
        if objective is not None:
            entry["position_objectif"] = objective
        result[row] = entry
    return result


def national_values(frame: pd.DataFrame, rows: Rows) -> np.ndarray:
    """The national value of each row's period, NaN when there is none: the first non-missing
    one, as `groupby("period")["value"].first()` takes it, without its overhead."""
    value = _numbers(frame, "value")
    national = np.flatnonzero(rows.national & ~np.isnan(value) & (rows.period_code >= 0))
    by_period = np.full(rows.period_code.max(initial=-1) + 2, np.nan)  # last slot: code -1
    periods, first = np.unique(rows.period_code[national], return_index=True)
    by_period[periods] = value[national[first]]
    return by_period[rows.period_code]


def _positions(low: np.ndarray, high: np.ndarray, reference) -> np.ndarray:
    """Above when the whole CI is above the reference, below when wholly below, else not
    significantly different (NaN bounds compare false: not significantly different)."""
    choice = np.where(low > reference, 0, np.where(high < reference, 1, 2))
    return POSITION_LABELS[choice]


def details_json(given, *extras: list[dict | None]) -> list[str | None]:
    """The JSON `details` of each row: the finish's own details updated by each extra in turn
    (so keys keep that order), or None when there is nothing to say."""
    entries = [dict(base) if isinstance(base, dict) else {} for base in given]
    for extra in extras:
        for entry, more in zip(entries, extra, strict=True):
            if more:
                entry.update(more)
    encode = json_encoder()
    return [encode(entry) if entry else None for entry in entries]


def json_encoder() -> Callable[[object], str]:
    """`json.dumps(·, ensure_ascii=False)` for many small entries: one encoder for all
    (`dumps` builds a new one on every call)."""
    return json.JSONEncoder(ensure_ascii=False).encode
