"""Exclusive stratifications, declared in strata.yaml and materialised as `peer_groups`.

Each stratification compiles to one SQL CASE expression whose branches are its groups, the
last branch being the catch-all; so every establishment gets exactly one group of each
stratification by construction (and a test checks it on the real registry).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import duckdb
import pyarrow as pa
import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from hospiscope.geo import geography


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    code: str
    label: str
    category_code: tuple[str, ...] = ()
    legal_status: tuple[str, ...] = ()


class Band(_Strict):
    code: str
    label: str
    below: float | None = None  # upper bound, exclusive; None for the last band


class Missing(_Strict):
    code: str
    label: str


class Stratification(_Strict):
    code: str
    label: str
    description: str
    assumption: str | None = None
    rules: tuple[Rule, ...] = ()
    measure: Literal["capacity"] | None = None
    bands: tuple[Band, ...] = ()
    attribute: Literal["region_code", "department_code"] | None = None
    missing: Missing | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Stratification:
        kinds = [bool(self.rules), bool(self.bands), bool(self.attribute)]
        if sum(kinds) != 1:
            raise ValueError(f"{self.code}: exactly one of rules, bands, attribute is required")
        if self.rules and (self.rules[-1].category_code or self.rules[-1].legal_status):
            raise ValueError(f"{self.code}: the last rule must be a catch-all (no condition)")
        if self.bands and self.bands[-1].below is not None:
            raise ValueError(f"{self.code}: the last band must be open-ended")
        if (self.bands or self.attribute) and self.missing is None:
            raise ValueError(f"{self.code}: a 'missing' group is required")
        return self

    def groups(self) -> list[tuple[str, str]]:
        """(code, label) of every possible group, in display order."""
        if self.rules:
            return [(rule.code, rule.label) for rule in self.rules]
        if self.bands:
            return [(band.code, band.label) for band in self.bands] + [
                (self.missing.code, self.missing.label)
            ]
        return [(code, region.name) for code, region in sorted(geography().regions.items())] + [
            (self.missing.code, self.missing.label)
        ]


@cache
def load_stratifications() -> tuple[Stratification, ...]:
    text = resources.files("hospiscope.peers").joinpath("strata.yaml").read_text("utf-8")
    return tuple(Stratification(**entry) for entry in yaml.safe_load(text)["stratifications"])


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(_quote(v) for v in values)})"


def _rule_case(stratification: Stratification, part: int) -> str:
    """CASE expression giving the group code (part 0) or label (part 1) from rules."""
    branches = []
    for rule in stratification.rules[:-1]:
        conditions = []
        if rule.category_code:
            conditions.append(_in("e.category_code", rule.category_code))
        if rule.legal_status:
            conditions.append(_in("e.legal_status", rule.legal_status))
        value = (rule.code, rule.label)[part]
        branches.append(f"WHEN {' AND '.join(conditions)} THEN {_quote(value)}")
    last = (stratification.rules[-1].code, stratification.rules[-1].label)[part]
    return f"CASE {' '.join(branches)} ELSE {_quote(last)} END"


def _band_case(stratification: Stratification, part: int) -> str:
    missing = (stratification.missing.code, stratification.missing.label)[part]
    branches = [f"WHEN c.capacity IS NULL THEN {_quote(missing)}"]
    for band in stratification.bands:
        value = _quote((band.code, band.label)[part])
        branches.append(
            f"WHEN c.capacity < {band.below} THEN {value}"
            if band.below is not None
            else f"ELSE {value}"
        )
    return f"CASE {' '.join(branches)} END"


def _attribute_case(stratification: Stratification, part: int) -> str:
    column = f"e.{stratification.attribute}"
    missing = (stratification.missing.code, stratification.missing.label)[part]
    known = "r.name" if part else column
    return f"CASE WHEN r.code IS NULL THEN {_quote(missing)} ELSE {known} END"


_CASES = {"rules": _rule_case, "bands": _band_case, "attribute": _attribute_case}


def _kind(stratification: Stratification) -> str:
    return "rules" if stratification.rules else "bands" if stratification.bands else "attribute"


# Latest year of capacity per establishment: total beds and places, all activities.
_CAPACITY = """
    SELECT finess_et, coalesce(beds_mco, 0) + coalesce(places_mco, 0) + coalesce(beds_smr, 0)
        + coalesce(places_smr, 0) + coalesce(beds_psy, 0) + coalesce(places_psy, 0)
        + coalesce(beds_sld, 0) AS capacity
    FROM capacity
    QUALIFY row_number() OVER (PARTITION BY finess_et ORDER BY year DESC) = 1
"""


def refresh_peer_groups(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute `stratifications` and `peer_groups` from the registry (call inside the
    transaction that changed the registry or the capacities)."""
    con.execute("DELETE FROM peer_groups")
    con.execute("DELETE FROM stratifications")
    regions = geography().regions.values()
    con.register(
        "reference_regions",
        pa.table({"code": [r.code for r in regions], "name": [r.name for r in regions]}),
    )
    for stratification in load_stratifications():
        case = _CASES[_kind(stratification)]
        con.execute(
            f"""INSERT INTO peer_groups
                SELECT ?, e.finess_et, {case(stratification, 0)}, {case(stratification, 1)}
                FROM establishments e
                LEFT JOIN ({_CAPACITY}) c USING (finess_et)
                LEFT JOIN reference_regions r ON r.code = e.region_code""",
            [stratification.code],
        )
        con.execute(
            "INSERT INTO stratifications VALUES (?, ?, ?, ?)",
            [
                stratification.code,
                stratification.label,
                stratification.description,
                stratification.assumption,
            ],
        )
    con.unregister("reference_regions")
