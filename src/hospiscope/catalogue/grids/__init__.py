"""Class grids kept as data (YAML), per indicator family and period."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from hospiscope.catalogue.meta import ClassBand, ClassGrid


@cache
def load_grids(family: str) -> dict[str, tuple[ClassGrid, ...]]:
    """{key: grids} from `grids/<family>.yaml` (key: questionnaire, indicator version…)."""
    text = (
        resources.files("hospiscope.catalogue.grids").joinpath(f"{family}.yaml").read_text("utf-8")
    )
    entries = yaml.safe_load(text)["grids"]
    return {
        key: tuple(
            ClassGrid(
                bands=tuple(ClassBand(**band) for band in grid["bands"]),
                source=" ".join(grid["source"].split()),
                assumption=grid["assumption"],
                periods=tuple(grid.get("periods") or ()),
            )
            for grid in grids
        )
        for key, grids in entries.items()
    }
