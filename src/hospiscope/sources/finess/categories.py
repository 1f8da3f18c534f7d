"""FINESS establishment categories (categetab) and their aggregates, from the packaged
reference file `data/reference/finess_categories.csv` (values seen in real FINESS records)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hospiscope.geo.reference import normalise_place_name


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    group_code: str | None
    group_label: str | None


@cache
def categories() -> dict[str, Category]:
    path = (
        resources.files("hospiscope.data").joinpath("reference").joinpath("finess_categories.csv")
    )
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter=";")
        return {
            row["code"]: Category(
                row["code"], row["label"], row["group_code"] or None, row["group_label"] or None
            )
            for row in rows
        }


@cache
def _by_label() -> dict[str, Category]:
    return {normalise_place_name(c.label): c for c in categories().values()}


def category_by_label(label: str) -> Category | None:
    """The category whose label matches (case, accents and punctuation ignored)."""
    return _by_label().get(normalise_place_name(label))
