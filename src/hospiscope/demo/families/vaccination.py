"""Demo staff flu vaccination files: one file per winter season in hospiscope's layout
(sources/vaccination.py; `;`, UTF-8 with BOM, CRLF), for the establishments of the registry
with beds or places, calibrated on the published figures (facts.md §1 "Staff flu
vaccination", anchors.md §3.4).

A campaign year Y measures the winter season (Y−1)-Y (campaign 2024 → "2023-2024"); campaigns
whose season predates the first measurement (2022-2023) are skipped.

Model (every figure that is not published is a labelled hospiscope assumption):
- staff ∝ capacity: 2.9 per MCO bed or place, 1.3 per SMR bed, 1.4 per psychiatric bed or
  place, 0.9 per long-stay bed, × a log-normal factor (σ 0.2), at least 5; ±2 % by season;
- each season about 1 % of establishments are NC and 2 % DI (a count missing), at random;
- the coverage of establishment i is read from the distribution of establishments by level:
  its rank (a normal score kept from season to season, correlation 0.8) is mapped through a
  piecewise-linear distribution, uniform within a level, with the level bounds of
  grids/vaccination.yaml (20 and 75 % published, 40 and 60 % assumed: change them there and
  the demo follows); its knots are corrected (fixed point on binomial probabilities) so that
  the levels *observed* after counting — which spreads small establishments across bounds —
  have the published 2023-2024 shares (52.5 / 28.8 / 15.7 / 2.6 / 0.4 %) in expectation;
- 2022-2023 has no published distribution but a national coverage of 19 % (anchors.md §3.4,
  Hospimedia June 2024): the 2023-2024 shape is scaled so that the staff-weighted coverage
  is 19 %. (The press file's own headline "19 % of establishments reached at least an
  intermediate level" concerns 2023-2024 establishments; the two 19 % may be one figure read
  twice — both are used as given.) Other seasons: the 2023-2024 shape (assumption);
- staff vaccinated ~ Binomial(staff, coverage).
One row per establishment: `scale` does not apply.

Calibration achieved (bundled registry, demo capacities and seed of the default demo,
campaigns 2023–2024, through the DuckDB engine): national coverage 2022-2023 19.0 % (published
19 %); 2023-2024 levels 52.1 / 29.1 / 16.0 / 2.5 / 0.3 % of establishments with a result
(published 52.5 / 28.8 / 15.7 / 2.6 / 0.4 %; at or above « convenable » 18.9 % vs the headline
19 %); over three seeds every level is within 0.6 point
(tests/integration/demo/test_demo_vaccination.py
allows 1 point, 0.3 point for the national 19 %). The national coverage 2023-2024 comes out at
23.1–23.4 % — not published, a consequence of the assumed bounds. NC ≈ 1 %, DI ≈ 2 % of rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from scipy.stats import binom

from hospiscope.catalogue.grids import load_grids
from hospiscope.demo.activities import eligible as activity_mask
from hospiscope.demo.calibration import Target, assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.sources.vaccination import HEADER, SEASONS, file_name, season_of_campaign

COMMAND = "vaccination"
LEVELS = ("tres_insuffisant", "insuffisant", "convenable", "intermediaire", "exemplaire")
# Share of establishments per level, winter 2023-2024 (HAS-2024, facts.md §1).
LEVEL_SHARES = {
    "tres_insuffisant": published(0.525),
    "insuffisant": published(0.288),
    "convenable": published(0.157),
    "intermediaire": published(0.026),
    "exemplaire": published(0.004),
}
SHAPE_SEASON = "2023-2024"
NATIONAL_COVERAGE = {
    "2022-2023": published(0.19, "anchors.md §3.4 : Hospimedia, juin 2024"),
}
STAFF_PER_UNIT = {
    "beds_mco": assumed(2.9, "personnels par lit MCO"),
    "places_mco": assumed(2.9, "personnels par place MCO"),
    "beds_smr": assumed(1.3, "personnels par lit SMR"),
    "beds_psy": assumed(1.4, "personnels par lit de psychiatrie"),
    "places_psy": assumed(1.4, "personnels par place de psychiatrie"),
    "beds_sld": assumed(0.9, "personnels par lit de soins de longue durée"),
}
STAFF_SPREAD = assumed(0.2, "écart-type log-normal de l'effectif autour de la capacité")
NOT_CONCERNED_SHARE = assumed(0.01, "part des établissements non concernés (NC)")
MISSING_SHARE = assumed(0.02, "part des établissements sans effectif ou sans vaccinés (DI)")
STAFF_WOBBLE = assumed(0.02, "variation de l'effectif d'une saison à l'autre (écart-type relatif)")
SEASON_CORRELATION = assumed(0.8, "corrélation d'une saison à l'autre du rang d'un établissement")
MINIMUM_STAFF = 5
ITERATIONS = 50  # corrections of the shape for binomial counting


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    rng = context.rng("vaccination")
    eligible, staff = base_staff(context.capacity, rng)
    n = eligible.height
    score = rng.standard_normal(n)
    rho = SEASON_CORRELATION.value
    bounds, cumulative = level_distribution()
    files = []
    for campaign in sorted(context.campaigns):
        season = season_of_campaign(campaign)
        score = rho * score + np.sqrt(1 - rho**2) * rng.standard_normal(n)
        if season not in SEASONS:
            continue  # before the first measurement (or beyond the known seasons)
        total = np.maximum(
            MINIMUM_STAFF, np.round(staff * np.exp(rng.normal(0, STAFF_WOBBLE.value, n)))
        )
        draw = rng.random(n)
        not_concerned = draw < NOT_CONCERNED_SHARE.value
        missing = ~not_concerned & (draw < NOT_CONCERNED_SHARE.value + MISSING_SHARE.value)
        missing_staff = missing & (rng.random(n) < 0.3)  # else the count of vaccinated
        usable = ~not_concerned & ~missing
        coverage = np.zeros(n)
        coverage[usable] = latent_coverage(
            score[usable], total[usable], bounds, cumulative, NATIONAL_COVERAGE.get(season)
        )
        vaccinated = rng.binomial(total.astype(np.int64), coverage)
        frame = pl.DataFrame(
            {
                "finess": eligible["finess_et"],
                "saison": np.full(n, season),
                "personnels_vaccines": _counts(
                    vaccinated, not_concerned | (missing & ~missing_staff)
                ),
                "personnels_total": _counts(total, not_concerned | missing_staff),
                "non_concerne": np.where(not_concerned, "oui", "non"),
            }
        ).select(HEADER)
        path = context.directory / "vaccination" / file_name(season)
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
        files.append((COMMAND, path))
    return files


def base_staff(capacity: pl.DataFrame, rng: np.random.Generator) -> tuple[pl.DataFrame, np.ndarray]:
    """Establishments with beds or places and their staff (before the seasonal wobble)."""
    units = sum(
        capacity[c].fill_null(0).to_numpy().astype(float) * per.value
        for c, per in STAFF_PER_UNIT.items()
    )
    eligible = activity_mask(capacity, "vaccination").to_numpy() & (units > 0)
    factor = np.exp(rng.normal(0, STAFF_SPREAD.value, int(eligible.sum())))
    staff = np.maximum(MINIMUM_STAFF, units[eligible] * factor)
    return capacity.filter(pl.Series(eligible)).select("finess_et"), staff


def level_distribution() -> tuple[np.ndarray, np.ndarray]:
    """Coverage bounds (fractions, 0 … 1) of the levels of the YAML grid and the cumulative
    published shares at those bounds."""
    grid = next(g for g in load_grids("vaccination")["couverture"] if not g.periods)
    bands = {band.code: band for band in grid.bands}
    inner = [bands[code].upper / 100 for code in LEVELS[:-1]]
    shares = np.array([LEVEL_SHARES[code].value for code in LEVELS])
    cumulative = np.concatenate([[0.0], np.cumsum(shares) / shares.sum()])
    return np.array([0.0, *inner, 1.0]), cumulative


def latent_coverage(
    score: np.ndarray,
    staff: np.ndarray,
    bounds: np.ndarray,
    cumulative: np.ndarray,
    national: Target | None,
) -> np.ndarray:
    """Coverage by rank through the level distribution. With a national coverage for the
    season: the published shape, scaled so that the staff-weighted coverage is that value.
    Without: the shape is corrected so that the *observed* levels (after binomial counting,
    which spreads small establishments across bounds) match the published shares in
    expectation."""
    n = score.size
    if n == 0:
        return score.astype(float)
    ranks = np.empty(n)
    ranks[np.argsort(score)] = np.arange(n)
    position = (ranks + 0.5) / n
    if national is not None:
        coverage = np.interp(position, cumulative, bounds)
        coverage *= national.value / (np.sum(staff * coverage) / np.sum(staff))
        return np.clip(coverage, 0.0, 1.0)
    knots = cumulative.copy()
    for _ in range(ITERATIONS):
        coverage = np.interp(position, knots, bounds)
        gap = cumulative[1:-1] - expected_below(coverage, staff, bounds[1:-1])
        if np.max(np.abs(gap)) < 1e-5:
            break
        inner = np.clip(knots[1:-1] + gap, 1e-6, 1 - 1e-6)
        knots[1:-1] = np.maximum.accumulate(inner + np.arange(inner.size) * 1e-9)
    return np.clip(np.interp(position, knots, bounds), 0.0, 1.0)


def expected_below(coverage: np.ndarray, staff: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Expected share of establishments whose observed coverage X / n is below each bound,
    X ~ Binomial(n, coverage)."""
    counts = staff.astype(np.int64)
    return np.array(
        [binom.cdf(np.ceil(bound * counts - 1e-9) - 1, counts, coverage).mean() for bound in bounds]
    )


def _counts(values: np.ndarray, empty: np.ndarray) -> pl.Series:
    return pl.Series(
        [None if skip else int(v) for v, skip in zip(values, empty, strict=True)], dtype=pl.Int64
    )
