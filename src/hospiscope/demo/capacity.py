"""Demo capacities (beds and places) for the real registry, written in the capacity layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.demo.profiles import HAD_SHARES, KIND_PROFILES, PROFILES, SPREAD, Activity
from hospiscope.demo.sites import HOSPITAL, site_kind
from hospiscope.sources.capacity import HEADER

_FIELDS = ("beds_mco", "places_mco", "beds_smr", "beds_psy", "places_psy", "beds_sld")
_COLUMNS = {
    "beds_mco": "lits_mco",
    "places_mco": "places_mco",
    "beds_smr": "lits_smr",
    "beds_psy": "lits_psy",
    "places_psy": "places_psy",
    "beds_sld": "lits_sld",
}


def generate_capacity(
    rng: np.random.Generator, establishments: pl.DataFrame, year: int
) -> pl.DataFrame:
    """One row per establishment of a known category: beds and places per activity, plus what
    the demo's activity rule (activities.py) reads and the capacity file does not hold: the
    category, the site kind (sites.py; from `name` when the registry frame has it), a
    `surgery` flag (surgical activity) and an `had` flag (home hospitalisation)."""
    known = establishments.filter(pl.col("category_code").is_in(list(PROFILES)))
    names = known["name"] if "name" in known.columns else [None] * known.height
    columns: dict[str, list] = {field: [] for field in _FIELDS}
    kinds, surgery, had = [], [], []
    for category, name in zip(known["category_code"], names, strict=True):
        kind = site_kind(category, name)
        profile = PROFILES[category] if kind == HOSPITAL else KIND_PROFILES[kind]
        for field in _FIELDS:
            columns[field].append(_draw(rng, getattr(profile, field)))
        medical = bool(columns["beds_mco"][-1] or columns["places_mco"][-1])
        surgery.append(medical and bool(rng.random() < profile.surgery_share))
        share = HAD_SHARES[category].value if kind == HOSPITAL and category in HAD_SHARES else 0
        had.append(kind == "had" or bool(rng.random() < share))
        kinds.append(kind)
    return known.select("finess_et", "category_code").with_columns(
        year=pl.lit(year),
        **{f: pl.Series(v, dtype=pl.Int32) for f, v in columns.items()},
        site_kind=pl.Series(kinds, dtype=pl.String),
        surgery=pl.Series(surgery, dtype=pl.Boolean),
        had=pl.Series(had, dtype=pl.Boolean),
    )


def _draw(rng: np.random.Generator, activity: Activity | None) -> int | None:
    if activity is None or rng.random() >= activity.share:
        return None
    return max(1, round(activity.median * float(np.exp(rng.normal(0, SPREAD)))))


def write_capacity(capacity: pl.DataFrame, path: Path) -> Path:
    """Write in the documented capacity layout (`;`, UTF-8 with BOM, CRLF)."""
    table = capacity.select(
        pl.col("year").alias("annee"),
        pl.col("finess_et").alias("finess"),
        *[pl.col(field).alias(column) for field, column in _COLUMNS.items()],
        pl.lit(None, dtype=pl.Int32).alias("places_smr"),
    ).select(HEADER)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
    return path
