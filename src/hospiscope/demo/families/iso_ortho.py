"""Demo PMSI arthroplasty stays for ISO-ORTHO: total hip (non-fracture) and knee
replacements with the risk-model variables and infections within 90 days.

Calibration: the published share of establishments "worse than expected" (facts.md §1: knee
1.5 %, hip 1.2 %) is approached by planting a few establishments with a much higher infection
risk on top of a moderate random variation between establishments. With about one expected
infection per establishment a year, only a strong excess clears the 99.8 % funnel limit
widened for over-dispersion: the planted share and risk ratio were chosen by simulation so
that the share *flagged* by ISO_PTH / ISO_PTG comes out at the published one (checked in
tests/integration/demo/test_demo_iso_ortho.py). Volumes, infection rates and risk factors are not in
our sources: all are labelled hospiscope assumptions below.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.demo.activities import eligible
from hospiscope.demo.calibration import assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.sources.pmsi import LAYOUT

STAYS_PER_YEAR = {
    "PTH": assumed(150_000, "volume annuel de PTH hors fracture"),
    "PTG": assumed(110_000, "volume annuel de PTG"),
}
INFECTION_RATE = {
    "PTH": assumed(0.008, "taux d'infection à 90 jours"),
    "PTG": assumed(0.007, "taux d'infection à 90 jours"),
}
# Target: share of establishments with a result flagged "worse than expected".
WORSE_SHARE = {"PTH": published(0.012), "PTG": published(0.015)}
PLANTED_SHARE = {
    "PTH": assumed(0.015, "part des établissements réellement atypiques (PTH)"),
    "PTG": assumed(0.04, "part des établissements réellement atypiques (PTG)"),
}
PLANTED_RISK_RATIO = assumed(15.0, "sur-risque des établissements réellement atypiques")
ESTABLISHMENT_SD = assumed(0.25, "écart-type de l'effet établissement (échelle logit)")
# Patients: mean age, sd, share of women, obesity, diabetes (hypothèses hospiscope).
PATIENTS = {"PTH": (70.0, 11.0, 0.55, 0.20, 0.12), "PTG": (71.0, 9.0, 0.63, 0.35, 0.15)}
COMORBIDITIES = (("0", 0.60), ("1-2", 0.32), ("3+", 0.08))
# Log odds ratios of the true risk (hypothèses hospiscope).
EFFECTS = {"age75": 0.4, "homme": 0.25, "obesite": 0.6, "diabete": 0.4, "1-2": 0.5, "3+": 1.0}


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    rng = context.rng("iso_ortho")
    capacity = context.capacity.filter(eligible(context.capacity, "iso_ortho"))
    finess = capacity["finess_et"].to_numpy()
    volume = capacity["beds_mco"].fill_null(0) + capacity["places_mco"].fill_null(0)
    volume = volume.to_numpy().astype(float) * np.exp(rng.normal(0, 0.6, len(capacity)))
    files = []
    for year in context.campaigns:
        frames = [
            _stays(rng, procedure, year, finess, volume, context.scale)
            for procedure in STAYS_PER_YEAR
        ]
        path = context.directory / "pmsi" / f"pmsi-arthroplasties-{year}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        pl.concat(frames).write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
        files.append(("pmsi-arthroplasties", path))
    return files


def _stays(
    rng: np.random.Generator,
    procedure: str,
    year: int,
    finess: np.ndarray,
    volume: np.ndarray,
    scale: float,
) -> pl.DataFrame:
    total = round(STAYS_PER_YEAR[procedure].value * scale)
    counts = rng.multinomial(total, volume / volume.sum())
    where = np.repeat(np.arange(finess.size), counts)
    age_mean, age_sd, women, obesity, diabetes = PATIENTS[procedure]
    age = np.clip(np.round(rng.normal(age_mean, age_sd, total)), 30, 99).astype(int)
    woman = rng.random(total) < women
    obese, diabetic = rng.random(total) < obesity, rng.random(total) < diabetes
    comorbidity = rng.choice([c for c, _ in COMORBIDITIES], total, p=[p for _, p in COMORBIDITIES])
    effect = _establishment_effects(rng, procedure, finess.size)
    logit = (
        EFFECTS["age75"] * (age >= 75)
        + EFFECTS["homme"] * ~woman
        + EFFECTS["obesite"] * obese
        + EFFECTS["diabete"] * diabetic
        + np.select(
            [comorbidity == "1-2", comorbidity == "3+"], [EFFECTS["1-2"], EFFECTS["3+"]], 0.0
        )
        + effect[where]
    )
    base = _base_logit(logit, INFECTION_RATE[procedure].value)
    infection = rng.random(total) < 1 / (1 + np.exp(-(base + logit)))
    yes_no = np.array(["non", "oui"])
    return pl.DataFrame(
        {
            "finess": finess[where],
            "annee": np.full(total, year),
            "sejour": np.char.add(f"{year}-{procedure}-", np.arange(total).astype(str)),
            "intervention": np.full(total, procedure),
            "age": age,
            "sexe": np.where(woman, "F", "H"),
            "obesite": yes_no[obese.astype(int)],
            "diabete": yes_no[diabetic.astype(int)],
            "comorbidites": comorbidity,
            "infection_90j": yes_no[infection.astype(int)],
        }
    ).select(LAYOUT.header)


def _establishment_effects(rng: np.random.Generator, procedure: str, count: int) -> np.ndarray:
    effect = rng.normal(0, ESTABLISHMENT_SD.value, count)
    planted = rng.random(count) < PLANTED_SHARE[procedure].value
    return effect + planted * np.log(PLANTED_RISK_RATIO.value)


def _base_logit(logit: np.ndarray, rate: float) -> float:
    """The intercept giving the national infection rate (bisection on the mean risk)."""
    low, high = -15.0, 5.0
    for _ in range(60):
        middle = (low + high) / 2
        mean = float(np.mean(1 / (1 + np.exp(-(middle + logit)))))
        low, high = (middle, high) if mean < rate else (low, middle)
    return (low + high) / 2
