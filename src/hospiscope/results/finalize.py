"""From pooled sums to published values: value and CI (the standard rules, or the indicator's
own `finish`), then — the same for every indicator — statuses, classes from the period's
grid, evolution of the class since the previous period, and positions against references."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator
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
    details = [
        dict(d) if isinstance(d, dict) else {} for d in out.get("details", [None] * len(out))
    ]
    out["status"] = statuses(meta.min_sample, out, meta.sample_column)
    out.loc[out["status"].notna(), ["value", "ci_low", "ci_high"]] = np.nan
    given = out.get("class")  # a finish may set categorical classes (decisions, levels)
    out["class"] = classes(indicator, out)
    if given is not None:
        out["class"] = given.where(given.notna(), out["class"])
    for entry, extra in zip(details, evolutions(out), strict=True):
        entry.update(extra)
    if meta.kind in ("rate", "ratio", "score"):
        for entry, extra in zip(details, positions(indicator, out), strict=True):
            entry.update(extra)
    out["details"] = [json.dumps(entry, ensure_ascii=False) if entry else None for entry in details]
    for column in OUTPUT_COLUMNS:
        if column not in out:
            out[column] = None
    return out[OUTPUT_COLUMNS]


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
    min_sample: int | None, frame: pd.DataFrame, sample_column: str = "denominator"
) -> pd.Series:
    """At establishment level: NC (not concerned), NR (did not take part), NV (not
    validated), DI (below the minimum sample, or flagged by the definition), in that order of
    precedence; aggregates are always published. Definitions flag rows with `stat_nc`,
    `stat_nr`, `stat_nv`, `stat_di` markers."""
    status = pd.Series(None, index=frame.index, dtype=object)
    establishment = frame["entity_kind"] == "etablissement"
    denominator = frame["denominator"].fillna(0)
    if min_sample:
        sample = frame[sample_column].fillna(0)
        status[establishment & (sample < min_sample)] = INSUFFICIENT
    if "stat_di" in frame:
        status[establishment & (frame["stat_di"] > 0)] = INSUFFICIENT
    if "stat_nv" in frame:
        status[establishment & (frame["stat_nv"] > 0)] = NOT_VALIDATED
    if "stat_nr" in frame:
        status[establishment & (frame["stat_nr"] > 0) & (denominator == 0)] = NOT_TAKEN_PART
    if "stat_nc" in frame:
        status[establishment & (frame["stat_nc"] > 0)] = NOT_CONCERNED
    return status


def classes(indicator: Indicator, frame: pd.DataFrame) -> list[str | None]:
    """Class of each published establishment value, from the grid of its period."""
    result = []
    for kind, period, value in zip(
        frame["entity_kind"], frame["period"], frame["value"], strict=True
    ):
        grid = indicator.meta.class_grid(str(period))
        usable = grid is not None and kind == "etablissement" and not pd.isna(value)
        result.append(grid.classify(float(value)) if usable else None)
    return result


def evolutions(frame: pd.DataFrame) -> list[dict]:
    """For establishments: their class (or status) at the previous period, when both exist."""
    label = frame["class"].where(frame["class"].notna(), frame["status"])
    is_establishment = frame["entity_kind"] == "etablissement"
    known = {
        (e, str(p)): c
        for e, p, c, keep in zip(
            frame["entity_id"], frame["period"], label, is_establishment, strict=True
        )
        if keep and c is not None and not pd.isna(c)
    }
    periods = sorted({str(p) for p in frame["period"]})
    before = {p: periods[i - 1] for i, p in enumerate(periods) if i > 0}
    result = []
    for entity, period, current, keep in zip(
        frame["entity_id"], frame["period"], label, is_establishment, strict=True
    ):
        earlier = before.get(str(period))
        if not keep or current is None or pd.isna(current) or (entity, earlier) not in known:
            result.append({})
            continue
        result.append(
            {"classe_precedente": known[(entity, earlier)], "periode_precedente": earlier}
        )
    return result


def positions(indicator: Indicator, frame: pd.DataFrame) -> list[dict]:
    """For establishments: where the CI lies against the national value of the same period
    and against the target (POSITION_RULE)."""
    national = frame[frame["entity_kind"] == "national"].groupby("period")["value"].first()
    reference = frame["period"].map(national).to_numpy(dtype=float)
    usable = (
        (frame["entity_kind"] == "etablissement") & frame["value"].notna() & frame["ci_low"].notna()
    ).to_numpy()
    low, high = frame["ci_low"].to_numpy(dtype=float), frame["ci_high"].to_numpy(dtype=float)
    target = indicator.meta.target
    result = []
    for i in range(len(frame)):
        if not usable[i]:
            result.append({})
            continue
        entry = {"regle_position": POSITION_RULE}
        if not np.isnan(reference[i]):
            entry["position_national"] = _position(low[i], high[i], reference[i])
        if target is not None:
            entry["position_objectif"] = _position(low[i], high[i], target)
        result.append(entry)
    return result


def _position(low: float, high: float, reference: float) -> str:
    if low > reference:
        return "au-dessus"
    if high < reference:
        return "en dessous"
    return "non significativement différent"
