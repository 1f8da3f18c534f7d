"""Each establishment against its target, its peers and its own history, and which rule fired:
the comparisons of the efficiency diagnosis (issue 11) and of the imaging base, after Hospi
Diag (the 20 % best and 20 % worst at three levels: region, legal category, national typology)
and Model Hospital (national quartiles; a value is highlighted when a rule fires, and the page
says which).

`benchmark(values, groups, direction, target)` is a pure function of one indicator and one
period: one row per establishment with its bands at every level and the French sentences of
the rules that fired. The bands come from stats/percentiles.py (cut points: Hyndman & Fan
type 7; a value equal to a cut point is in the extreme band; fewer than `min_group_size`
peers: no band, said so). Colours follow the direction: with no known direction no band is
called best or worst and no rule fires but the target's.

Rules (hospiscope's wording; the thresholds are the sources' — 20 %/80 % Hospi Diag,
quartiles Model Hospital; funnel outliers and SPC rules are added by their own modules):
- `cible`: beyond the target in the unfavourable direction (a target is a value to reach);
- `pires_20_<level>`: among the 20 % worst of its peers at that level;
- `quartile_defavorable`: in the unfavourable national quartile;
- `degradation`: worse than its own previous period by more than `history_tolerance`
  (relative), when the previous value is known."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hospiscope.stats.percentiles import percentile_bands, quartile_bands

# The three peer levels of Hospi Diag: column of `groups` → French name of the level.
LEVELS = {
    "region_code": "région",
    "legal_status": "catégorie juridique",
    "typology": "typologie nationale",
}
MIN_GROUP_SIZE = 5  # fewer peers: no band (stats/percentiles.py's default)
HISTORY_TOLERANCE = 0.05  # hypothèse hospiscope: a 5 % relative change is noise, not a trend


@dataclass(frozen=True)
class Rule:
    code: str
    sentence: str  # French, for the page


def benchmark(
    values: pd.DataFrame,
    groups: pd.DataFrame,
    direction: str,
    target: float | None = None,
    previous: pd.Series | None = None,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    history_tolerance: float = HISTORY_TOLERANCE,
) -> pd.DataFrame:
    """`values`: entity_id, value (one indicator, one period); `groups`: entity_id and the
    columns of LEVELS; `previous`: the previous period's value by entity_id. One row per
    entity of `values`: for each level its group, size, P20, P80 and band; the national
    quartile cuts and quartile; and `rules` (list of Rule) — those that fired."""
    frame = values[["entity_id", "value"]].merge(groups, on="entity_id", how="left")
    frame = frame.reset_index(drop=True)
    value = frame["value"].astype(float)
    out = pd.DataFrame({"entity_id": frame["entity_id"], "value": value})
    for column in LEVELS:
        bands = percentile_bands(value, frame[column].astype("object"), direction=direction,
                                 min_group_size=min_group_size)  # fmt: skip
        out[f"{column}_group"] = frame[column]
        out[f"{column}_size"] = bands["stratum_size"].to_numpy()
        out[f"{column}_p20"] = bands["low_cut"].to_numpy()
        out[f"{column}_p80"] = bands["high_cut"].to_numpy()
        out[f"{column}_band"] = bands["band"].to_numpy()
    quartiles = quartile_bands(value, None, direction=direction, min_group_size=min_group_size)
    for column in ("q25", "median", "q75", "quartile"):
        out[f"national_{column}"] = quartiles[column].to_numpy()
    out["national_band"] = quartiles["band"].to_numpy()
    before = (
        frame["entity_id"].map(previous).astype(float)
        if previous is not None
        else pd.Series(np.nan, index=frame.index)
    )
    out["previous"] = before
    out["rules"] = [
        _rules(row, direction, target, history_tolerance) for row in out.to_dict("records")
    ]
    return out


def _rules(row: dict, direction: str, target: float | None, tolerance: float) -> list[Rule]:
    value = row["value"]
    if value is None or np.isnan(value):
        return []
    fired = []
    if target is not None and _worse(value, target, direction):
        fired.append(Rule("cible", f"au-delà de la cible ({_n(target)})"))
    if direction == "none":
        return fired
    for column, level in LEVELS.items():
        if row[f"{column}_band"] == "worst":
            cut = row[f"{column}_p20" if direction == "higher_is_better" else f"{column}_p80"]
            fired.append(Rule(f"pires_20_{column}", f"parmi les 20 % les moins favorables "
                              f"de sa {level} (seuil {_n(cut)})"))  # fmt: skip
    if row["national_band"] == "worst":
        fired.append(Rule("quartile_defavorable", "dans le quartile national le moins favorable"))
    before = row["previous"]
    if before is not None and not np.isnan(before) and before != 0:
        change = (value - before) / abs(before)
        worse = change < -tolerance if direction == "higher_is_better" else change > tolerance
        if worse:
            fired.append(Rule("degradation", f"dégradation depuis la période précédente "
                              f"({_n(before)} → {_n(value)})"))  # fmt: skip
    return fired


def _worse(value: float, reference: float, direction: str) -> bool:
    """Beyond `reference` on the unfavourable side (a target with no direction: any gap
    above it, as for a maximum such as a payment delay)."""
    if direction == "higher_is_better":
        return value < reference
    return value > reference


def _n(value: float) -> str:
    text = f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return text.removesuffix(",0")
