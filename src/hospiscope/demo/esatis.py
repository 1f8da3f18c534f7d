"""Demo e-Satis responses: for the real registry and the demo capacities, patient-level
responses of each questionnaire and campaign, in the response file layout, calibrated on the
published national figures (calibration.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy.special import ndtr

from hospiscope.demo import calibration as cal
from hospiscope.demo.comments import generate_comments
from hospiscope.demo.satisfaction import calibrate_base, case_mix, recommendation, to_answers
from hospiscope.sources.esatis.layout import columns
from hospiscope.sources.esatis.questionnaires import NOT_CONCERNED, Questionnaire

WARD_EFFECT_SD = 2.5  # hypothèse hospiscope: spread between wards of one establishment
_NOT_CONCERNED_RATE = {"douleur": 0.20, "appel": 0.10, "collation": 0.06, "repas": 0.05}
_PATIENTS = {  # age mean, age sd, share of women, share of emergency admissions (hypothèses)
    "mco48h": (62.0, 18.0, 0.56, 0.45),
    "ca": (54.0, 18.0, 0.55, 0.03),
    "smr": (73.0, 13.0, 0.60, 0.0),
}


@dataclass
class Participants:
    """Establishments taking part in a questionnaire, with their persistent effects."""

    finess: np.ndarray
    weight: np.ndarray  # share of the national respondents
    effect: dict[int, np.ndarray]  # campaign → establishment effect (points)
    eligible: np.ndarray  # every eligible establishment (participants included)
    not_participating: np.ndarray  # eligible but did not take part (NR)
    not_validated: np.ndarray  # took part, submission not validated (NV)


@dataclass(frozen=True)
class ClassTarget:
    """Reproduce a published share of establishments at or above a class threshold."""

    national_score: float
    threshold: float
    share: float
    respondents: int  # per campaign: only establishments expected to reach 30 count
    minimum: int = 30
    respondent_sd: float = cal.RESPONDENT_SCORE_SD.value


def participants(
    rng: np.random.Generator,
    finess: np.ndarray,
    volume: np.ndarray,
    campaigns: list[int],
    target: ClassTarget | None = None,
) -> Participants:
    """Eligible establishments (volume > 0) minus non-participants, with effects that persist
    from one campaign to the next. Larger establishments score lower (hypothèse hospiscope,
    a common finding of patient surveys); the size slope is chosen so that `target` holds, and
    effects are centred on the respondents so that national scores stay calibrated."""
    eligible = volume > 0
    keep = eligible & (rng.random(volume.shape) >= cal.NON_PARTICIPATION_RATE.value)
    not_participating = finess[eligible & ~keep]
    finess, volume = finess[keep], volume[keep]
    weight = volume * np.exp(rng.normal(0, 0.5, volume.shape))
    weight = weight / weight.sum()
    sd, rho = cal.ESTABLISHMENT_EFFECT_SD.value, cal.ESTABLISHMENT_EFFECT_PERSISTENCE.value
    noise = {}
    current = rng.normal(0, sd, volume.shape)
    for campaign in sorted(campaigns):
        noise[campaign] = current
        current = rho * current + np.sqrt(1 - rho**2) * rng.normal(0, sd, volume.shape)
    size = np.log(weight) - np.sum(weight * np.log(weight))
    slope = _size_slope(noise[max(campaigns)], size, weight, target) if target else 0.0
    effect = {c: _centred(n - slope * size, weight) for c, n in noise.items()}
    validated = rng.random(finess.shape) >= cal.NOT_VALIDATED_RATE.value
    return Participants(
        finess,
        weight,
        effect,
        np.concatenate([finess, not_participating]),
        not_participating,
        finess[~validated],
    )


def _centred(effect: np.ndarray, weight: np.ndarray) -> np.ndarray:
    return effect - np.sum(weight * effect)


def _size_slope(
    noise: np.ndarray, size: np.ndarray, weight: np.ndarray, target: ClassTarget
) -> float:
    """The slope (points per log of volume share; positive: larger establishments score lower)
    whose share of classified establishments at or above the threshold is closest to the
    target, on a grid from −10 to 10 (the share need not be monotone in the slope).

    The class is given on the observed score, which carries the sampling error of its
    respondents: an establishment counts with its probability of an observed score at or
    above the threshold (normal, standard error respondent SD / √expected respondents)."""
    expected = weight * target.respondents
    classified = expected >= target.minimum  # the others will be DI
    if not classified.any():
        return 0.0
    error = target.respondent_sd / np.sqrt(expected[classified])

    def gap(slope: float) -> float:
        scores = target.national_score + _centred(noise - slope * size, weight)
        above = ndtr((scores[classified] - target.threshold) / error)
        return abs(float(np.mean(above)) - target.share)

    return min(np.round(np.arange(-10, 10.01, 0.1), 1), key=gap)


def generate_responses(
    rng: np.random.Generator,
    questionnaire: Questionnaire,
    campaign: int,
    people: Participants,
    total: int,
) -> pl.DataFrame:
    """`total` responses of one campaign, as a frame in the response file layout."""
    counts = rng.multinomial(total, people.weight)
    establishment = np.repeat(np.arange(counts.size), counts)
    patients = _patients(rng, questionnaire.code, total)
    ward_index, ward_effect = _wards(rng, questionnaire, establishment, counts.size)
    deviation = (
        people.effect[campaign][establishment]
        + ward_effect
        + rng.normal(0, cal.RESPONDENT_EFFECT_SD.value, total)
        + case_mix(patients["age"], patients["emergency"], patients["health"])
    )
    answers, satisfaction = _answers(rng, questionnaire, campaign, deviation)
    complete = rng.random(total) < cal.COMPLETION_RATE.value
    _truncate_incomplete(rng, answers, complete, questionnaire)
    reco = recommendation(rng, satisfaction).astype(float)
    reco[~complete] = np.nan
    wards = np.array(questionnaire.wards)[ward_index]
    comments = generate_comments(rng, questionnaire.code, satisfaction, wards)
    positive = np.where(complete, comments.positive, "")
    negative = np.where(complete, comments.negative, "")
    discharge, response = _dates(rng, campaign, total)
    frame = {
        "finess": people.finess[establishment],
        "campagne": np.full(total, campaign),
        "questionnaire": np.full(total, questionnaire.code),
        "id_reponse": _ids(questionnaire.code, campaign, total),
        "service": wards,
        "date_sortie": discharge,
        "date_reponse": response,
        "age": patients["age"].astype(np.int16),
        "sexe": np.where(patients["woman"], "F", "H"),
        "mode_entree": _admission(questionnaire.code, patients["emergency"]),
        "etat_sante": patients["health"].astype(np.int8),
        "questionnaire_complet": complete.astype(np.int8),
        **{item.code: answers[:, i] for i, item in enumerate(questionnaire.items)},
        "recommandation": reco,
        "commentaire_positif": positive,
        "commentaire_negatif": negative,
    }
    return _frame(frame, questionnaire)


def _patients(rng: np.random.Generator, code: str, n: int) -> dict[str, np.ndarray]:
    age_mean, age_sd, women, emergency = _PATIENTS[code]
    woman = rng.random(n) < women
    age = np.clip(np.round(rng.normal(age_mean, age_sd, n)), 18, 101)
    health = rng.choice(np.arange(1, 6), size=n, p=[0.04, 0.14, 0.40, 0.32, 0.10])
    return {
        "age": age,
        "woman": woman,
        "emergency": (rng.random(n) < emergency).astype(float),
        "health": health.astype(float),
    }


def _wards(
    rng: np.random.Generator,
    questionnaire: Questionnaire,
    establishment: np.ndarray,
    establishments: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each establishment has a few wards, each with its own effect."""
    offered = len(questionnaire.wards)
    per_establishment = rng.integers(1, min(offered, 6) + 1, establishments)
    choice = rng.random(establishment.size) * per_establishment[establishment]
    first = rng.integers(0, offered, establishments)
    ward = (first[establishment] + choice.astype(int)) % offered
    effects = rng.normal(0, WARD_EFFECT_SD, (establishments, offered))
    return ward, effects[establishment, ward]


def _answers(
    rng: np.random.Generator, questionnaire: Questionnaire, campaign: int, deviation: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Item answers (n × items, 1–4 or 9) and the respondent's mean latent satisfaction."""
    targets = cal.DIMENSION_SCORES[questionnaire.code][campaign]
    noise = cal.ITEM_NOISE_SD.value
    answers = np.empty((deviation.size, len(questionnaire.items)), dtype=np.int8)
    bases, column = [], 0
    for dimension in questionnaire.dimensions:
        base = calibrate_base(deviation, targets[dimension.code].value, noise)
        bases.append(base)
        for item in dimension.items:
            latent = base + deviation + rng.normal(0, noise, deviation.size)
            answers[:, column] = to_answers(rng, latent)
            rate = next((r for key, r in _NOT_CONCERNED_RATE.items() if key in item.code), 0.02)
            answers[rng.random(deviation.size) < rate, column] = NOT_CONCERNED
            column += 1
    satisfaction = np.clip(np.mean(bases) + deviation, 0, 100)
    return answers, satisfaction


def _truncate_incomplete(
    rng: np.random.Generator,
    answers: np.ndarray,
    complete: np.ndarray,
    questionnaire: Questionnaire,
) -> None:
    """Unfinished questionnaires stop at a random item: later items are left empty (0 here,
    written as empty cells)."""
    items = len(questionnaire.items)
    stop = rng.integers(1, items, answers.shape[0])
    mask = (np.arange(items)[None, :] >= stop[:, None]) & ~complete[:, None]
    answers[mask] = 0


def _dates(rng: np.random.Generator, campaign: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Discharges over the 12 months to 30 September of the campaign year (hypothèse), answers
    2 to 10 weeks later (questionnaire e-mailed about 2 weeks after discharge, link valid
    10 weeks)."""
    start = np.datetime64(dt.date(campaign - 1, 10, 1))
    discharge = start + rng.integers(0, 365, n).astype("timedelta64[D]")
    response = discharge + (14 + rng.integers(0, 57, n)).astype("timedelta64[D]")
    return discharge, response


def _ids(code: str, campaign: int, n: int) -> np.ndarray:
    return np.char.add(
        f"{campaign}-{code.upper()}-", np.char.zfill(np.arange(1, n + 1).astype(str), 7)
    )


def _admission(code: str, emergency: np.ndarray) -> pl.Series:
    if code == "smr":  # not asked in SMR
        return pl.Series([None] * emergency.size, dtype=pl.String)
    return pl.Series(np.where(emergency > 0, "urgence", "programme"))


def _frame(data: dict[str, np.ndarray], questionnaire: Questionnaire) -> pl.DataFrame:
    frame = pl.DataFrame(data)
    items = [item.code for item in questionnaire.items]
    return frame.with_columns(
        [pl.when(pl.col(code) > 0).then(pl.col(code)).alias(code) for code in items]
        + [pl.col("recommandation").cast(pl.Int8, strict=False)]
    ).select([c.name for c in columns(questionnaire)])


def write_responses(frame: pl.DataFrame, path: Path) -> Path:
    """Write in the response file layout (`;`, UTF-8 with BOM, CRLF, dates dd/mm/yyyy)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(
        path, separator=";", include_bom=True, line_terminator="\r\n", date_format="%d/%m/%Y"
    )
    return path
