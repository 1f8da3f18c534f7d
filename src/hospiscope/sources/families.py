"""The small per-establishment files of the indicator families, declared once and discovered:
any module of `hospiscope.sources` (or a sub-package) that defines `IMPORTS` (a tuple of
`TabularImport`) gets its `hospiscope import <command>` and its importer automatically."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache

import hospiscope.sources
from hospiscope.sources.tabular import Layout


@dataclass(frozen=True)
class TabularImport:
    command: str  # CLI: `hospiscope import <command> FILE…`
    kind: str  # import_runs.kind
    layout: Layout
    table: str  # warehouse table (warehouse/schemas/<family>.sql)
    help: str  # French, one line
    # What makes two files "the same campaign" of the family: SQL expressions on the table's
    # columns, with their French names. A second, different file holding the same values is
    # refused unless it replaces the first (`--remplace`, warehouse/replacement.py). Empty:
    # reference data that a newer file updates row by row (capacities).
    scope: tuple[tuple[str, str], ...] = ()


@cache
def tabular_imports() -> dict[str, TabularImport]:
    found: dict[str, TabularImport] = {}
    for module in pkgutil.walk_packages(hospiscope.sources.__path__, "hospiscope.sources."):
        loaded = importlib.import_module(module.name)
        for entry in getattr(loaded, "IMPORTS", ()):
            if entry.command in found:
                raise ValueError(f"import command {entry.command} declared twice")
            found[entry.command] = entry
    return dict(sorted(found.items()))
