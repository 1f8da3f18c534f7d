"""The latent satisfaction model of demo respondents, and its calibration.

Every closed item of a respondent is  y = base[dimension] + s + ε,  where s is the
respondent's satisfaction deviation (establishment + ward + individual + case mix) and ε the
item noise; y is clipped to [0, 100] and stochastically rounded to the 4-level scale, so that
the expected item score equals E[clip(y)] exactly. `base` is solved per dimension so that the
national mean item score equals the published dimension score (calibration.py).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from hospiscope.demo import calibration as cal

_SQRT_2PI = np.sqrt(2 * np.pi)


def expected_clipped(mean: np.ndarray, sd: float, low: float = 0.0, high: float = 100.0):
    """E[clip(X, low, high)] for X ~ Normal(mean, sd), elementwise (closed form)."""
    a, b = (low - mean) / sd, (high - mean) / sd
    pdf_a, pdf_b = np.exp(-a * a / 2) / _SQRT_2PI, np.exp(-b * b / 2) / _SQRT_2PI
    cdf_a, cdf_b = ndtr(a), ndtr(b)
    inside = mean * (cdf_b - cdf_a) + sd * (pdf_a - pdf_b)
    return low * cdf_a + inside + high * (1 - cdf_b)


def calibrate_base(deviation: np.ndarray, target: float, noise_sd: float) -> float:
    """The base such that mean(E[clip(base + deviation + ε)]) equals `target`.

    Newton's method: the derivative of E[clip(X, 0, 100)] with respect to the mean of X is
    P(0 < X < 100), so a few iterations reach 1e-9 points."""
    base = target - float(np.mean(deviation))
    for _ in range(50):
        mean = base + deviation
        gap = float(expected_clipped(mean, noise_sd).mean()) - target
        if abs(gap) < 1e-9:
            break
        slope = float((ndtr((100 - mean) / noise_sd) - ndtr(-mean / noise_sd)).mean())
        base -= gap / max(slope, 1e-6)
    return base


def to_answers(rng: np.random.Generator, latent: np.ndarray) -> np.ndarray:
    """Latent 0–100 scores → answers 1–4, by stochastic rounding of latent × 3 / 100."""
    scaled = np.clip(latent, 0, 100) * 3 / 100
    level = np.floor(scaled)
    level += rng.random(latent.shape) < (scaled - level)
    return (np.minimum(level, 3) + 1).astype(np.int8)


def case_mix(age: np.ndarray, emergency: np.ndarray, health: np.ndarray) -> np.ndarray:
    """Satisfaction shift from patient characteristics (hypothèse hospiscope, in points):
    older patients report more satisfaction, emergency admissions and poor self-rated health
    less — the usual case-mix effects of patient-experience surveys."""
    return 0.08 * (age - 60) - 3.0 * emergency + 2.5 * (health - 3)


def recommendation(rng: np.random.Generator, satisfaction: np.ndarray) -> np.ndarray:
    """Answers 1–4 to "would you recommend": ordered logit on the respondent's satisfaction."""
    latent = (satisfaction - cal.RECOMMENDATION_MIDPOINT.value) / 6 + rng.logistic(
        size=satisfaction.shape
    )
    return np.select([latent > 0, latent > -2.5, latent > -4.5], [4, 3, 2], 1).astype(np.int8)
