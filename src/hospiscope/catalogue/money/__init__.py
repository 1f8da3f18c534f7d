"""The money at stake behind an efficiency gap, as data (money.yaml): which indicators' gaps are
money, of which kind (one-off cash or a recurring saving, never added together), by which
formula, and the national estimates of IGF-IGAS annex XII they are compared with. Applied by
results/money.py."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

KINDS = {"ponctuel": "gain ponctuel de trésorerie", "recurrent": "économie récurrente (par an)"}
FORMULAS = {
    "jours_au_dela_cible": "(valeur − cible) jours × montant annuel ÷ 365",
    "points_sous_cible": "(cible − valeur) points de % × montant annuel",
    "points_au_dela_cible": "(valeur − cible) points de % × montant annuel",
}


class Annex(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount_eur: float
    text: str


class MoneyRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    indicator: str
    kind: Literal["ponctuel", "recurrent"]
    formula: Literal["jours_au_dela_cible", "points_sous_cible", "points_au_dela_cible"]
    label: str
    annex: Annex | None = None

    @property
    def formula_text(self) -> str:
        return FORMULAS[self.formula]


class Total(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[str]
    amount_eur: float
    text: str


class MoneyCatalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[MoneyRule]
    totals: list[Total] = []


@cache
def money_catalogue() -> MoneyCatalogue:
    text = resources.files(__package__).joinpath("money.yaml").read_text("utf-8")
    found = MoneyCatalogue.model_validate(yaml.safe_load(text))
    codes = [rule.indicator for rule in found.rules]
    if len(codes) != len(set(codes)):
        raise ValueError("money.yaml : un indicateur a deux règles")
    for total in found.totals:
        if unknown := sorted(set(total.rules) - set(codes)):
            raise ValueError(f"money.yaml : total sur des règles inconnues : {unknown}")
    return found


def money_rules() -> dict[str, MoneyRule]:
    return {rule.indicator: rule for rule in money_catalogue().rules}
