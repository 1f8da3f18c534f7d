"""Demo record audits: one file per campaign in the audit layout (sources/audits.py), for the
establishments of the registry that have the audited activity, calibrated on the national
values of the HAS 2024 press file (facts.md §1).

Model (every figure below that is not published is a labelled hospiscope assumption):
- eligibility by activity, from the demo's one activity rule (demo/activities.py): ambulatory
  surgery for CA, MCO beds for MCO, HAD for HAD (sites named as HAD and a share of general
  hospitals, demo/profiles.py HAD_SHARES), full-time psychiatric beds for PSY;
- each campaign, an establishment audits 60–80 records of a sector (the same records are
  assessed for each indicator of the sector); the smallest tenth by activity audit fewer than
  30 (all their eligible stays), hence DI; a few records are excluded (NA) per indicator;
- the probability that a record is compliant is logistic: a campaign level, solved so that
  the expected national value (records pooled) equals the calibration value, plus an
  establishment effect (shared by the sector's indicators in part, stable over campaigns)
  and a small campaign-to-campaign wobble;
- campaign values other than the published one are interpolated linearly between the
  previous measure (published value minus published change) and the published value; with
  no published change, the value is kept (hypothèse: stable).
With `scale` < 1, only that share of the eligible establishments is audited (at least a few),
so that establishments keep realistic samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy.optimize import brentq
from scipy.special import expit

from hospiscope.demo.activities import eligible as activity_mask
from hospiscope.demo.calibration import Target, assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.sources.audits import EXCLUDED, HEADER, INDICATORS, file_name

COMMAND = "audits"


@dataclass(frozen=True)
class Calibration:
    value: Target  # national value (%) measured in `year`
    year: int  # year the value refers to (data year when records are of the year before)
    lag: int = 0  # campaign − year of the audited records (1: records of the year before)
    change: Target | None = None  # published change (points) since `since`
    since: int | None = None


def _interpolated(value: float, change: float, since: int) -> str:
    return (
        f"droite passant par {since} ({value - change:g} %, valeur publiée moins l'évolution "
        f"publiée) et la valeur publiée ({value:g} %)"
    )


CALIBRATION: dict[str, Calibration] = {
    "CA_QLS": Calibration(
        assumed(68.0, "« correcte pour moins de 7 patients sur 10 » (HAS-2024) : 68 % retenu"),
        2024,
        change=published(7.0, "HAS-2024 : « plus de 7 points par rapport à 2021 »"),
        since=2021,
    ),
    "CA_DOULEUR": Calibration(
        assumed(38.0, "« moins de 4 patients sur 10 » (HAS-2024) : 38 % retenu"), 2024
    ),
    "CA_ELIGIBILITE": Calibration(published(80.0, "HAS-2024 : 8 patients sur 10"), 2024),
    "CA_CONTACT": Calibration(
        assumed(72.0, "« plus de 7 patients sur 10 » (HAS-2024) : 72 % retenu"), 2024
    ),
    "MCO_QLS": Calibration(
        assumed(68.0, "valeur MCO non publiée dans nos sources : celle de la CA reprise"), 2024
    ),
    "MCO_PCC": Calibration(
        published(37.0, "HAS-2024 : 37 % (données 2023)"),
        2023,
        lag=1,
        change=assumed(9.0, "+9 points « par rapport à 2022 » lu comme données 2022"),
        since=2022,
    ),
    "HAD_DOSSIER": Calibration(
        published(89.0), 2024, change=published(3.5, "HAS-2024 : +3,5 points / 2021"), since=2021
    ),
    "HAD_COORDINATION": Calibration(
        published(78.0), 2024, change=published(8.0, "HAS-2024 : +8 points / 2021"), since=2021
    ),
    "PSY_CARDIO": Calibration(
        published(69.0, "HAS-2024 : 69 % (données 2023)"),
        2023,
        lag=1,
        change=assumed(9.0, "+9 points « par rapport à 2021 » lu comme données 2021"),
        since=2021,
    ),
    "PSY_DIGESTIF": Calibration(
        published(46.0, "HAS-2024 : 46 % (données 2023)"),
        2023,
        lag=1,
        change=assumed(17.5, "+17,5 points « par rapport à 2021 » lu comme données 2021"),
        since=2021,
    ),
    "PSY_ADDICTIONS": Calibration(
        published(65.0, "HAS-2024 : 65 % (données 2023)"),
        2023,
        lag=1,
        change=assumed(10.6, "+10,6 points « par rapport à 2021 » lu comme données 2021"),
        since=2021,
    ),
}

SAMPLE_SIZE = assumed(70, "60 à 80 dossiers audités par établissement et secteur")
SAMPLE_RANGE = (60, 80)  # drawn uniformly, mean SAMPLE_SIZE
SMALL_SHARE = assumed(0.10, "dixième des établissements les moins actifs : moins de 30 dossiers")
SMALL_RANGE = (10, 29)
EXCLUSION_RATE = assumed(0.05, "part des dossiers audités exclus d'un indicateur (NA)")
EFFECT_SD = assumed(0.7, "écart-type de l'effet établissement (échelle logit)")
SHARED_EFFECT = assumed(0.5, "part de variance de l'effet établissement commune au secteur")
CAMPAIGN_SD = assumed(0.25, "variation d'une campagne à l'autre (échelle logit)")
MIN_AUDITED = 3  # establishments per sector kept at any scale
RECORD_SCHEMA = {
    "campaign": pl.Int32,
    "finess_et": pl.String,
    "indicator": pl.String,
    "record_number": pl.Int32,
    "outcome": pl.String,
}


def national_value(code: str, campaign: int) -> float:
    """The national value (%) the demo aims at for `code` in `campaign`."""
    c = CALIBRATION[code]
    year = campaign - c.lag
    if c.change is None or year >= c.year:
        return c.value.value
    step = c.change.value / (c.year - c.since)
    return float(np.clip(c.value.value - step * (c.year - year), 2.0, 98.0))


def value_source(code: str, campaign: int) -> str:
    c = CALIBRATION[code]
    if c.change is None or campaign - c.lag >= c.year:
        return c.value.source
    return "hypothèse hospiscope : " + _interpolated(c.value.value, c.change.value, c.since)


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    records = generate_records(
        context.rng("audits"), context.registry, context.capacity, context.campaigns, context.scale
    )
    written = []
    for campaign in context.campaigns:
        path = context.directory / "audits" / file_name(campaign)
        frame = records.filter(pl.col("campaign") == campaign)
        written.append((COMMAND, write_records(frame, path)))
    return written


def eligible(
    rng: np.random.Generator, registry: pl.DataFrame, capacity: pl.DataFrame
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per sector: (finess_et, activity) of the establishments having the activity
    (demo/activities.py decides who has it)."""
    finess = capacity["finess_et"].to_numpy()
    beds = capacity["beds_mco"].fill_null(0).to_numpy().astype(float)
    places = capacity["places_mco"].fill_null(0).to_numpy().astype(float)
    psy = capacity["beds_psy"].fill_null(0).to_numpy().astype(float)  # full-time only
    # HAD has no capacity column: a random activity volume orders its establishments by size.
    had_volume = beds + places + rng.random(finess.size)
    volumes = {"CA": places + 0.2 * beds, "MCO": beds, "HAD": had_volume, "PSY": psy}
    out = {}
    for sector, volume in volumes.items():
        mask = activity_mask(capacity, f"audits:{sector}").to_numpy()
        out[sector] = (finess[mask], volume[mask])
    return out


def generate_records(
    rng: np.random.Generator,
    registry: pl.DataFrame,
    capacity: pl.DataFrame,
    campaigns: tuple[int, ...],
    scale: float = 1.0,
) -> pl.DataFrame:
    """Audited records: campaign, finess_et, indicator, record_number, outcome (sorted)."""
    codes = list(INDICATORS)
    universe = np.sort(capacity["finess_et"].to_numpy().astype(str))
    parts: list[pl.DataFrame] = []  # integer columns only: fast to build and to sort
    for sector, (finess, activity) in eligible(rng, registry, capacity).items():
        if scale < 1 and finess.size > MIN_AUDITED:
            keep = max(MIN_AUDITED, round(finess.size * scale))
            chosen = np.sort(rng.choice(finess.size, keep, replace=False))
            finess, activity = finess[chosen], activity[chosen]
        if not finess.size:
            continue
        small = activity <= np.quantile(activity, SMALL_SHARE.value)
        keys = np.searchsorted(universe, finess.astype(str)).astype(np.int32)
        sd = EFFECT_SD.value
        shared = rng.normal(0, sd * np.sqrt(SHARED_EFFECT.value), finess.size)
        own = [c for c in codes if INDICATORS[c].sector == sector]
        effects = {
            code: shared + rng.normal(0, sd * np.sqrt(1 - SHARED_EFFECT.value), finess.size)
            for code in own
        }
        for campaign in campaigns:
            sizes = np.where(
                small,
                rng.integers(SMALL_RANGE[0], SMALL_RANGE[1] + 1, finess.size),
                rng.integers(SAMPLE_RANGE[0], SAMPLE_RANGE[1] + 1, finess.size),
            )
            owner = np.repeat(np.arange(finess.size), sizes)
            numbers = np.arange(owner.size) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
            for code in own:
                logit = effects[code] + rng.normal(0, CAMPAIGN_SD.value, finess.size)
                level = campaign_level(logit, sizes, national_value(code, campaign) / 100)
                compliant = rng.random(owner.size) < expit(level + logit)[owner]
                excluded = rng.random(owner.size) < EXCLUSION_RATE.value
                parts.append(
                    pl.DataFrame(
                        {
                            "campaign": np.full(owner.size, campaign, dtype=np.int32),
                            "key": keys[owner],
                            "indicator": np.full(owner.size, codes.index(code), dtype=np.int8),
                            "record_number": numbers.astype(np.int32),
                            "outcome": np.where(excluded, 2, np.where(compliant, 0, 1)).astype(
                                np.int8
                            ),
                        }
                    )
                )
    if not parts:
        return pl.DataFrame(schema=RECORD_SCHEMA)
    frame = pl.concat(parts).sort("campaign", "key", "indicator", "record_number")
    return frame.select(
        pl.col("campaign"),
        pl.Series("finess_et", universe, dtype=pl.String).gather(frame["key"]),
        pl.col("indicator").replace_strict(dict(enumerate(codes)), return_dtype=pl.String),
        pl.col("record_number"),
        pl.col("outcome").replace_strict({0: "oui", 1: "non", 2: EXCLUDED}, return_dtype=pl.String),
    )


def campaign_level(logit: np.ndarray, sizes: np.ndarray, target: float) -> float:
    """The common logit level making the expected pooled rate equal `target`."""
    if not sizes.size:
        return 0.0
    weights = sizes / sizes.sum()

    def gap(level: float) -> float:
        return float(weights @ expit(level + logit)) - target

    return brentq(gap, -30.0, 30.0)


def write_records(frame: pl.DataFrame, path: Path) -> Path:
    """Write in the documented audit layout (`;`, UTF-8 with BOM, CRLF)."""
    table = frame.select(
        pl.col("finess_et").alias("finess"),
        pl.col("campaign").alias("campagne"),
        pl.col("indicator").alias("indicateur"),
        pl.col("record_number").alias("dossier"),
        pl.col("outcome").alias("conforme"),
    ).select(HEADER)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
    return path
