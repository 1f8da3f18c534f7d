"""Money at stake for every efficiency gap, with its formula shown: the rules of
catalogue/money (one-off cash kept apart from recurring savings) applied to stored results —
each establishment's value and denominator (the annual amount the indicator is measured on)
against the indicator's target, or against the targets of a what-if (a value per indicator,
or "reach the best 20 % of my peers": the peers' P20 or P80, from results/benchmarks.py).

Zero at the target and on its favourable side, linear beyond it (a test holds it to that);
no money where the value, the denominator or the target is missing — and the answer says
which rows could not be valued, never dropping them in silence."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hospiscope.catalogue import catalogue_meta
from hospiscope.catalogue.money import KINDS, MoneyRule, money_rules

DAYS_PER_YEAR = 365.0


@dataclass
class Money:
    rows: pd.DataFrame  # entity_id, indicator_code, kind, value, target, gap, amount_eur, formula
    unvalued: pd.DataFrame  # entity_id, indicator_code, reason (French)
    notes: list[str] = field(default_factory=list)

    def totals(self) -> pd.DataFrame:
        """Sum by kind (one-off, recurring: never added together) and indicator."""
        if self.rows.empty:
            return pd.DataFrame(columns=["kind", "indicator_code", "amount_eur", "entities"])
        return (
            self.rows.groupby(["kind", "indicator_code"], as_index=False)
            .agg(amount_eur=("amount_eur", "sum"), entities=("entity_id", "nunique"))
            .sort_values(["kind", "amount_eur"], ascending=[True, False], ignore_index=True)
        )


Targets = dict[str, float | dict[str, float]]


def money_at_stake(results: pd.DataFrame, targets: Targets | None = None) -> Money:
    """`results`: entity_id, indicator_code, value, denominator (one period). `targets`:
    what-if targets by indicator — one value, or one per establishment (`peer_targets`);
    default: each indicator's own target."""
    rules = money_rules()
    frame = results[results["indicator_code"].isin(rules)].reset_index(drop=True)
    target = pd.Series(
        [_target(code, entity, targets or {})
         for code, entity in zip(frame["indicator_code"], frame["entity_id"], strict=True)],
        dtype=float,
    )  # fmt: skip
    value, base = frame["value"].astype(float), frame["denominator"].astype(float)
    rule = [rules[code] for code in frame["indicator_code"]]
    gap = np.array([_gap(r, v, t) for r, v, t in zip(rule, value, target, strict=True)])
    amount = np.array([_amount(r, g, b) for r, g, b in zip(rule, gap, base, strict=True)])
    valued = ~np.isnan(amount)
    reasons = [_reason(v, b, t) for v, b, t in zip(value, base, target, strict=True)]
    rows = pd.DataFrame({
        "entity_id": frame["entity_id"], "indicator_code": frame["indicator_code"],
        "kind": [r.kind for r in rule], "value": value, "target": target, "gap": gap,
        "amount_eur": amount, "formula": [r.formula_text for r in rule],
    })[valued].reset_index(drop=True)  # fmt: skip
    unvalued = pd.DataFrame({
        "entity_id": frame["entity_id"], "indicator_code": frame["indicator_code"],
        "reason": reasons,
    })[~valued].reset_index(drop=True)  # fmt: skip
    notes = [f"{KINDS[k]} : jamais additionné à l'autre nature" for k in sorted(set(rows.kind))]
    if len(unvalued):
        notes.append(f"{len(unvalued)} résultat(s) sans montant : voir la raison de chacun.")
    return Money(rows, unvalued, notes)


def peer_targets(bands: dict[str, pd.DataFrame], level: str) -> dict[str, dict[str, float]]:
    """What-if "reach the best 20 % of my peers": per indicator, the cut point of the best
    20 % of each establishment's peers at `level` (a LEVELS column of results/benchmarks.py),
    from `benchmark` frames by indicator. {indicator: {entity_id: target}}."""
    metas = catalogue_meta()
    found: dict[str, dict[str, float]] = {}
    for code, frame in bands.items():
        lower = metas[code].direction.value == "lower_is_better"
        cut = frame[f"{level}_p20" if lower else f"{level}_p80"]
        found[code] = dict(zip(frame["entity_id"], cut.astype(float), strict=True))
    return found


def _target(code: str, entity: str, targets: Targets) -> float:
    if code in targets:
        chosen = targets[code]
        found = chosen.get(entity) if isinstance(chosen, dict) else chosen
        return np.nan if found is None else float(found)
    meta = catalogue_meta().get(code)
    return np.nan if meta is None or meta.target is None else float(meta.target)


def _gap(rule: MoneyRule, value: float, target: float) -> float:
    """How far beyond the target, on the unfavourable side, in the indicator's unit (0 at or
    on the favourable side of the target)."""
    if np.isnan(value) or np.isnan(target):
        return np.nan
    if rule.formula == "points_sous_cible":
        return max(0.0, target - value)
    return max(0.0, value - target)


def _amount(rule: MoneyRule, gap: float, base: float) -> float:
    if np.isnan(gap) or np.isnan(base):
        return np.nan
    if rule.formula == "jours_au_dela_cible":
        return gap * base / DAYS_PER_YEAR
    return gap / 100.0 * base


def _reason(value: float, base: float, target: float) -> str:
    if np.isnan(target):
        return "pas de cible pour cet indicateur (indiquez-en une dans la simulation)"
    if np.isnan(value):
        return "pas de valeur (statut ou données manquantes)"
    if np.isnan(base):
        return "montant annuel inconnu (dénominateur manquant)"
    return ""
