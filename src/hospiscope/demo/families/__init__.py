"""Demo data of the indicator families. Each module defines
`write_files(context: DemoContext) -> list[tuple[str, Path]]`, writing files in the layouts
of its family and returning (import command, path) pairs; modules are discovered, so a new
family only adds its module here."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import polars as pl


@dataclass
class DemoContext:
    registry: pl.DataFrame  # finess_et, name, category_code, legal_status, region_code
    capacity: pl.DataFrame  # demo capacities and activity flags (demo/capacity.py)
    directory: Path
    campaigns: tuple[int, ...]
    scale: float
    seed: int

    def rng(self, family: str) -> np.random.Generator:
        """A random stream of its own for each family (adding one changes no other)."""
        digest = sum(ord(ch) * (i + 1) for i, ch in enumerate(family))
        return np.random.default_rng(np.random.SeedSequence([self.seed, digest]))


def family_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{m.name}")
        for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    ]
