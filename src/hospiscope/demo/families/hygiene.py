"""Demo hand-hygiene files: one ICSHA file per campaign year in hospiscope's layout
(sources/hygiene.py; `;`, UTF-8 with BOM, CRLF, decimal comma), for the establishments of the
registry with MCO, SMR or psychiatric beds, calibrated on the HAS 2024 press file
(facts.md §1, "Hand hygiene (ICSHA)").

Model (every figure that is not published is a labelled hospiscope assumption, see
CALIBRATION and the constants below):
- personalised objective (L) = patient-days × reference frictions per patient-day × 3 mL per
  friction, with patient-days = beds × 365 × occupancy per activity (MCO, SMR, psychiatry) —
  the shape of the ICSHA.2 objective; the national references are not in our sources, so the
  frictions, occupancies and volume per friction are assumptions; ±3 % from year to year;
- each year about 1 % of eligible establishments are NC and 2 % DI (volume or objective
  missing), at random;
- the consumption rate of establishment i is r_i = max(5 %, 1 + b (z_i − t)), z_i a standard
  normal score kept from year to year (correlation 0.7); t is placed so that exactly the
  published share of establishments with data reaches 100 %, and b solved so that the pooled
  rate Σ volumes / Σ objectives equals the published national value; volumes are rounded to
  0.1 L away from the objective (no establishment crosses 100 % by rounding);
- every row is of version ICSHA.3 (the version in force for the demo campaigns: assumption).
One row per establishment: `scale` does not apply.

Calibration achieved (bundled registry, demo capacities and seed of the default demo,
campaigns 2023–2024, through the DuckDB engine): national ICSHA 79.00 % in 2024 (published
79 %) and 82.00 % in 2023 (published 82 % = 79 + 3), share of establishments at 100 % or more
28.0 % and 33.0 % (published 28 % and 33 %): the calibration is exact on the drawn
establishments, up to the 0.1 L rounding of volumes (tests/integration/demo/test_demo_hygiene.py
allows 0.1 point on any seed). NC ≈ 1 %, DI ≈ 2 % of rows; with 2022 among the campaigns,
95 % (published: 79 + 16) and the assumed 45 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy.optimize import brentq

from hospiscope.demo.activities import eligible as activity_mask
from hospiscope.demo.calibration import Target, assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.sources.hygiene import HEADER, file_name

COMMAND = "icsha"
VERSION = "ICSHA.3"


@dataclass(frozen=True)
class Calibration:
    national: Target  # pooled rate Σ volumes / Σ objectives (fraction)
    reached: Target  # share of establishments with data at 100 % or more (fraction)


CALIBRATION: dict[int, Calibration] = {
    2024: Calibration(published(0.79), published(0.28)),
    2023: Calibration(
        published(0.82, "HAS-2024 : 79 % en 2024, « −3 points par rapport à 2023 »"),
        published(0.33),
    ),
    2022: Calibration(
        published(0.95, "HAS-2024 : 79 % en 2024, « −16 points par rapport à 2022 »"),
        assumed(0.45, "part 2022 non publiée ; 45 % retenu pour un taux national de 95 %"),
    ),
}
OTHER_YEARS = Calibration(
    assumed(0.79, "année sans chiffre publié : valeurs 2024 reprises"),
    assumed(0.28, "année sans chiffre publié : valeurs 2024 reprises"),
)
# Objective: frictions per patient-day, bed occupancy (hypothèses hospiscope: orders of
# magnitude of the ICSHA.2 method; the national references are not in our sources).
FRICTIONS = {
    "beds_mco": assumed(9.0, "frictions par journée en MCO (médecine, chirurgie, réanimation)"),
    "beds_smr": assumed(5.0, "frictions par journée en SMR"),
    "beds_psy": assumed(2.0, "frictions par journée en psychiatrie"),
}
OCCUPANCY = {
    "beds_mco": assumed(0.80, "taux d'occupation des lits MCO"),
    "beds_smr": assumed(0.88, "taux d'occupation des lits SMR"),
    "beds_psy": assumed(0.87, "taux d'occupation des lits de psychiatrie"),
}
LITRES_PER_FRICTION = assumed(0.003, "3 mL de produit par friction")
NOT_CONCERNED_SHARE = assumed(0.01, "part des établissements non concernés (NC)")
MISSING_SHARE = assumed(0.02, "part des établissements sans volume ou sans objectif (DI)")
YEAR_CORRELATION = assumed(0.7, "corrélation d'une année à l'autre du rang d'un établissement")
OBJECTIVE_WOBBLE = assumed(0.03, "variation annuelle de l'objectif (écart-type relatif)")
FLOOR = 0.05  # lowest consumption rate drawn (5 % of the objective)


def calibration(year: int) -> Calibration:
    return CALIBRATION.get(year, OTHER_YEARS)


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    rng = context.rng("hygiene")
    eligible, objective = base_objectives(context.capacity)
    n = eligible.height
    score = rng.standard_normal(n)
    rho = YEAR_CORRELATION.value
    files = []
    for year in sorted(context.campaigns):
        score = rho * score + np.sqrt(1 - rho**2) * rng.standard_normal(n)
        yearly = np.round(objective * np.exp(rng.normal(0, OBJECTIVE_WOBBLE.value, n)), 1)
        draw = rng.random(n)
        not_concerned = draw < NOT_CONCERNED_SHARE.value
        missing = ~not_concerned & (draw < NOT_CONCERNED_SHARE.value + MISSING_SHARE.value)
        missing_volume = missing & (rng.random(n) < 0.75)  # else the objective is missing
        usable = ~not_concerned & ~missing
        rate = np.full(n, np.nan)
        rate[usable] = calibrated_rates(score[usable], yearly[usable], calibration(year))
        volume = rounded_volumes(rate, yearly)
        frame = pl.DataFrame(
            {
                "finess": eligible["finess_et"],
                "annee": np.full(n, year),
                "version": np.full(n, VERSION),
                "volume_consomme_litres": _decimal(volume, not_concerned | missing_volume),
                "objectif_personnalise_litres": _decimal(
                    yearly, not_concerned | (missing & ~missing_volume)
                ),
                "non_concerne": np.where(not_concerned, "oui", "non"),
            }
        ).select(HEADER)
        path = context.directory / "hygiene" / file_name(year)
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
        files.append((COMMAND, path))
    return files


def base_objectives(capacity: pl.DataFrame) -> tuple[pl.DataFrame, np.ndarray]:
    """Establishments with MCO, SMR or psychiatric beds and their objective (litres)."""
    beds = {c: capacity[c].fill_null(0).to_numpy().astype(float) for c in FRICTIONS}
    frictions = sum(beds[c] * 365 * OCCUPANCY[c].value * FRICTIONS[c].value for c in FRICTIONS)
    eligible = activity_mask(capacity, "hygiene").to_numpy() & (frictions > 0)
    objective = frictions[eligible] * LITRES_PER_FRICTION.value
    return capacity.filter(pl.Series(eligible)).select("finess_et"), objective


def calibrated_rates(score: np.ndarray, weight: np.ndarray, target: Calibration) -> np.ndarray:
    """r = max(FLOOR, 1 + b (score − t)): exactly round(share × n) scores above t, and b such
    that Σ weight × r / Σ weight is the national value."""
    n = score.size
    if n == 0:
        return score.astype(float)
    ordered = np.sort(score)[::-1]
    reached = round(target.reached.value * n)
    if reached == 0:
        threshold = ordered[0] + 1.0
    elif reached == n:
        threshold = ordered[-1] - 1.0
    else:
        threshold = (ordered[reached - 1] + ordered[reached]) / 2

    def pooled(b: float) -> float:
        rate = np.maximum(FLOOR, 1 + b * (score - threshold))
        return float(np.sum(weight * rate) / np.sum(weight)) - target.national.value

    grid = np.linspace(0, 5, 2001)
    values = np.array([pooled(b) for b in grid])
    crossing = np.flatnonzero(np.sign(values[1:]) != np.sign(values[:-1]))
    if crossing.size == 0:  # unreachable on these establishments: the closest slope
        slope = grid[int(np.argmin(np.abs(values)))]
    else:
        i = crossing[0]
        slope = brentq(pooled, grid[i], grid[i + 1], xtol=1e-12)
    return np.maximum(FLOOR, 1 + slope * (score - threshold))


def rounded_volumes(rate: np.ndarray, objective: np.ndarray) -> np.ndarray:
    """rate × objective to 0.1 L, rounded away from the objective: reaching 100 % or not is
    decided by the rate, not by rounding."""
    exact = rate * objective * 10
    with np.errstate(invalid="ignore"):
        return np.where(rate >= 1, np.ceil(exact - 1e-9), np.floor(exact + 1e-9)) / 10


def _decimal(values: np.ndarray, empty: np.ndarray) -> pl.Series:
    """French decimal comma, one decimal; empty where `empty` or not a number."""
    text = [
        None if skip or np.isnan(v) else f"{v:.1f}".replace(".", ",")
        for v, skip in zip(values, empty, strict=True)
    ]
    return pl.Series(text, dtype=pl.String)
