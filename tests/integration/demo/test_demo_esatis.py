"""The demo e-Satis generator: deterministic, in the response layout, and calibrated on the
published national figures (dimension scores, completion rate)."""

import numpy as np
import polars as pl
import pytest

from hospiscope.demo import calibration as cal
from hospiscope.demo.esatis import generate_responses, participants
from hospiscope.demo.satisfaction import calibrate_base, expected_clipped, to_answers
from hospiscope.sources.esatis.layout import columns
from hospiscope.sources.esatis.questionnaires import CA, MCO48H, QUESTIONNAIRES

FINESS = np.array([f"01{i:06d}0" for i in range(200)])


def sample(questionnaire, n=60_000, seed=5, campaign=2024):
    rng = np.random.default_rng(seed)
    people = participants(rng, FINESS, rng.uniform(10, 500, FINESS.size), [2023, 2024])
    return generate_responses(rng, questionnaire, campaign, people, n)


def dimension_scores(frame: pl.DataFrame, questionnaire) -> dict[str, float]:
    """Mean item score /100 per dimension over answered items (1–4), complete questionnaires."""
    complete = frame.filter(pl.col("questionnaire_complet") == 1)
    scores = {}
    for dimension in questionnaire.dimensions:
        values = np.concatenate([complete[item.code].to_numpy() for item in dimension.items])
        answered = values[(values >= 1) & (values <= 4)]
        scores[dimension.code] = float(np.mean((answered - 1) / 3 * 100))
    return scores


def test_same_seed_same_responses():
    assert sample(CA, n=2_000).equals(sample(CA, n=2_000))
    assert not sample(CA, n=2_000).equals(sample(CA, n=2_000, seed=6))


@pytest.mark.parametrize("questionnaire", list(QUESTIONNAIRES.values()))
def test_layout_columns(questionnaire):
    frame = sample(questionnaire, n=500)
    assert frame.columns == [c.name for c in columns(questionnaire)]
    assert frame["id_reponse"].n_unique() == 500


@pytest.mark.parametrize(
    ("questionnaire", "campaign"), [(MCO48H, 2024), (MCO48H, 2023), (CA, 2024)]
)
def test_dimension_scores_match_the_published_ones(questionnaire, campaign):
    frame = sample(questionnaire, campaign=campaign)
    targets = cal.DIMENSION_SCORES[questionnaire.code][campaign]
    for dimension, score in dimension_scores(frame, questionnaire).items():
        assert score == pytest.approx(targets[dimension].value, abs=0.4), dimension


def test_completion_rate_is_nine_in_ten():
    frame = sample(MCO48H)
    assert frame["questionnaire_complet"].mean() == pytest.approx(0.90, abs=0.01)
    incomplete = frame.filter(pl.col("questionnaire_complet") == 0)
    assert incomplete["recommandation"].null_count() == incomplete.height
    assert (incomplete["commentaire_positif"].str.len_chars() == 0).all()


def test_calibration_solves_the_clipped_mean():
    deviation = np.random.default_rng(1).normal(0, 15, 10_000)
    base = calibrate_base(deviation, 82.3, 14.0)
    assert expected_clipped(base + deviation, 14.0).mean() == pytest.approx(82.3, abs=1e-6)


def test_stochastic_rounding_keeps_the_expected_score():
    latent = np.full(200_000, 70.0)
    answers = to_answers(np.random.default_rng(2), latent)
    assert set(np.unique(answers)) == {3, 4}
    assert np.mean((answers - 1) / 3 * 100) == pytest.approx(70.0, abs=0.2)


def test_assumptions_are_labelled():
    assert not cal.RESPONDENTS["mco48h"].is_assumption
    assert cal.ESTABLISHMENT_EFFECT_SD.is_assumption
    assert cal.DIMENSION_SCORES["ca"][2024]["sortie"].is_assumption
    assert not cal.DIMENSION_SCORES["ca"][2024]["pec"].is_assumption


def test_class_share_target_holds_on_observed_scores():
    """The size slope is chosen so that the share of classified establishments whose
    *observed* score (true score + sampling error of its respondents) reaches the B threshold
    is the published one (MCO 2024: 66 %)."""
    from hospiscope.demo.esatis import ClassTarget

    rng = np.random.default_rng(11)
    finess = np.array([f"02{i:06d}0" for i in range(1_500)])
    target = ClassTarget(74.1, 76.5, 0.66, respondents=530_000)
    people = participants(rng, finess, rng.lognormal(4, 1, finess.size), [2024], target)
    respondents = rng.poisson(people.weight * target.respondents)
    error = target.respondent_sd / np.sqrt(np.maximum(respondents, 1))
    observed = target.national_score + people.effect[2024] + rng.normal(0, error)
    classified = respondents >= target.minimum
    share = np.mean(observed[classified] >= target.threshold)
    assert share == pytest.approx(target.share, abs=0.03)
