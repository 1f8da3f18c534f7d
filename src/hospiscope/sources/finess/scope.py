"""Which FINESS establishments the registry keeps by default: the documented scope file
`data/reference/registry_scope.yaml` (aggregate categories by prefix, single categories)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Scope:
    aggregates: tuple[str, ...]  # categagretab prefixes kept
    categories: frozenset[str]  # categetab codes kept whatever their aggregate

    def keeps(self, row: dict[str, Any]) -> bool:
        """Whether a registry row is in scope; a row whose aggregate is unknown is kept (the
        GISCO layout gives a category label only, and lists hospitals only)."""
        group = row["category_group_code"]
        if group is None or row["category_code"] in self.categories:
            return True
        return group.startswith(self.aggregates)

    def describe(self) -> str:
        """The rule in French, for messages and help."""
        kept = ", ".join(f"{code}…" if len(code) < 4 else code for code in self.aggregates)
        extra = f" et catégories {', '.join(sorted(self.categories))}" if self.categories else ""
        return f"catégories agrégées {kept}{extra}"


@cache
def registry_scope() -> Scope:
    path = resources.files("hospiscope.data").joinpath("reference").joinpath("registry_scope.yaml")
    data = yaml.safe_load(path.read_text("utf-8"))
    return Scope(
        aggregates=tuple(str(entry["code"]) for entry in data["aggregates"]),
        categories=frozenset(str(entry["code"]) for entry in data.get("categories") or []),
    )
