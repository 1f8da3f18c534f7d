"""Funnel plots: validation, result object, limits, over-dispersion and flags."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hospiscope.stats import FunnelResult, funnel_proportion, funnel_ratio
from hospiscope.stats.funnel import FLAG_COLUMNS, LIMIT_COLUMNS


def in_control_ratios(seed: int, units: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """Observed counts drawn from Poisson(E): no over-dispersion by construction."""
    rng = np.random.default_rng(seed)
    expected = rng.uniform(5, 500, units)
    return rng.poisson(expected).astype(float), expected


def over_dispersed_ratios(seed: int, units: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """True ratios vary between units (gamma, coefficient of variation 0.2)."""
    rng = np.random.default_rng(seed)
    expected = rng.uniform(20, 500, units)
    true_ratio = rng.gamma(25, 1 / 25, units)
    return rng.poisson(true_ratio * expected).astype(float), expected


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("observed", "expected", "message"),
    [
        ([3, -1, 2], [2, 2, 2], r"observed must be >= 0; observed\[1\] = -1.0"),
        ([3, 1, 2], [2, 2, 0], r"expected must be > 0; expected\[2\] = 0.0"),
        ([3, 1, 2], [2, -2, 1], r"expected must be > 0; expected\[1\] = -2.0"),
        ([3, np.inf], [2, 2], r"observed must be finite or missing"),
        ([3, 1], [2, 2, 2], "observed and expected must have the same length; got 2 and 3"),
        ([], [], "at least one unit"),
        ([[1, 2], [3, 4]], [[1, 2], [3, 4]], "one-dimensional"),
    ],
)
def test_ratio_inputs_are_checked_with_precise_messages(observed, expected, message):
    with pytest.raises(ValueError, match=message):
        funnel_ratio(observed, expected)


@pytest.mark.parametrize(
    ("numerator", "denominator", "message"),
    [
        ([5, 1], [3, 4], r"numerator must not exceed denominator; numerator\[0\] = 5.0 > "),
        ([-1, 1], [3, 4], r"numerator must be >= 0; numerator\[0\] = -1.0"),
        ([1, 1], [3, 0], r"denominator must be > 0; denominator\[1\] = 0.0"),
        ([1, 1], [3, 4.5], r"denominator must hold whole numbers .*denominator\[1\] = 4.5"),
    ],
)
def test_proportion_inputs_are_checked_with_precise_messages(numerator, denominator, message):
    with pytest.raises(ValueError, match=message):
        funnel_proportion(numerator, denominator, target=0.5)


def test_wilson_limits_accept_weighted_denominators():
    result = funnel_proportion([1.5, 2.0], [3.5, 4.0], target=0.5, limits="wilson")
    assert result.units["value"].tolist() == pytest.approx([1.5 / 3.5, 0.5])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"overdispersion": "random"}, "overdispersion must be one of 'none', 'multip"),
        ({"limits": "normal"}, "limits must be one of 'spiegelhalter', 'fingertips'"),
        ({"transform": "anscombe"}, "transform must be one of 'sqrt', 'log'"),
        ({"trim_method": "trim"}, "trim_method must be one of 'winsorise', 'truncate'"),
        ({"winsorise": 0.5}, r"winsorise must lie in \[0, 0.5\)"),
        ({"winsorise": -0.1}, r"winsorise must lie in \[0, 0.5\)"),
        ({"min_units": 1}, "min_units must be a whole number >= 2"),
        ({"min_units": 2.5}, "min_units must be a whole number >= 2"),
        ({"grid_points": 1}, "grid_points must be a whole number >= 2"),
        ({"target": 0}, "target must be a finite ratio > 0"),
        ({"target": float("nan")}, "target must be a finite ratio > 0"),
    ],
)
def test_ratio_options_are_checked(options, message):
    with pytest.raises(ValueError, match=message):
        funnel_ratio([3, 4], [2, 5], **options)


def test_winsorise_must_be_a_number():
    with pytest.raises(TypeError, match="winsorise must be a fraction"):
        funnel_ratio([3, 4], [2, 5], winsorise=True)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (0, r"target must lie in \(0, 1\)"),
        (1, r"target must lie in \(0, 1\)"),
        ("mean", "target must be one of 'pooled'"),
    ],
)
def test_proportion_target_is_a_proportion_or_pooled(target, message):
    with pytest.raises(ValueError, match=message):
        funnel_proportion([1, 2], [4, 4], target=target)


def test_pooled_target_needs_events_and_non_events():
    with pytest.raises(ValueError, match=r"the pooled proportion is 0\.0"):
        funnel_proportion([0, 0], [4, 4], target="pooled")


def test_ids_must_match_the_units_and_be_unique():
    with pytest.raises(ValueError, match=r"ids must have one label per unit \(2\); got 3"):
        funnel_ratio([3, 4], [2, 5], ["a", "b", "c"])
    with pytest.raises(ValueError, match="ids must be unique; 'a' appears 2 times"):
        funnel_ratio([3, 4], [2, 5], ["a", "a"])


# --- the result object -----------------------------------------------------------------------


def test_result_describes_itself():
    result = funnel_ratio([12, 30], [10, 25], ["A", "B"])
    assert isinstance(result, FunnelResult)
    assert (result.data_type, result.target, result.target_source) == ("ratio", 1.0, "fixed")
    assert result.confidence_levels == (0.95, 0.998)
    assert (result.limits_method, result.transform, result.overdispersion) == (
        "spiegelhalter",
        "sqrt",
        "none",
    )
    assert result.method == (
        "Limites de Poisson exactes interpolées (Spiegelhalter 2005) à 95 % et 99,8 % ; "
        "sans ajustement de sur-dispersion"
    )
    assert list(result.units.columns) == [
        "unit",
        "numerator",
        "denominator",
        "value",
        "precision",
        "z",
        "z_adjusted",
        "trimmed",
        *LIMIT_COLUMNS,
        *FLAG_COLUMNS,
    ]
    assert list(result.limits.columns) == ["precision", *LIMIT_COLUMNS]
    assert result.units["unit"].tolist() == ["A", "B"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.phi = 2.0


def test_method_text_names_the_over_dispersion_choices():
    observed, expected = in_control_ratios(1)
    additive = funnel_ratio(observed, expected, overdispersion="additive")
    assert additive.method.endswith(
        "sur-dispersion : τ² de DerSimonian–Laird (effets aléatoires additifs) sur z "
        "(racine carrée) winsorisés à 10 %"
    )
    shmi = funnel_ratio(
        observed,
        expected,
        overdispersion="multiplicative",
        transform="log",
        trim_method="truncate",
        winsorise=0.05,
    )
    assert "facteur multiplicatif φ sur z (logarithme) tronqués (méthode SHMI) à 5 %" in (
        shmi.method
    )
    proportion = funnel_proportion([3, 4], [10, 12], target=0.3, limits="wilson")
    assert proportion.method.startswith("Limites du score de Wilson")


def test_units_are_labelled_by_the_index_of_pandas_inputs():
    observed = pd.Series([12, 30], index=["750000001", "750000002"])
    result = funnel_ratio(observed, [10.0, 25.0])
    assert result.units["unit"].tolist() == ["750000001", "750000002"]
    assert funnel_ratio([12, 30], [10, 25]).units["unit"].tolist() == [0, 1]


def test_a_missing_unit_gets_no_value_no_flag_and_no_weight():
    observed, expected = in_control_ratios(3, units=20)
    observed[4] = np.nan
    result = funnel_ratio(observed, expected, overdispersion="additive")
    row = result.units.iloc[4]
    assert np.isnan(row["value"]) and np.isnan(row["z"])
    assert not row[list(FLAG_COLUMNS)].any()
    assert (result.n_units, result.n_used) == (20, 19)


def test_outliers_selects_by_level_side_and_adjustment():
    observed, expected = in_control_ratios(5)
    observed[[0, 1]] = [3 * expected[0], 0.3 * expected[1]]
    result = funnel_ratio(observed, expected, overdispersion="additive")
    assert result.outliers()["unit"].tolist() == [0]
    assert result.outliers(99.8, side="low")["unit"].tolist() == [1]
    both = result.outliers(level=0.998, adjusted=False, side="both")["unit"].tolist()
    assert {0, 1} <= set(both)
    assert set(result.outliers(95, adjusted=False, side="both")["unit"]) >= set(both)
    with pytest.raises(ValueError, match=r"level must be 0\.95 or 0\.998"):
        result.outliers(level=0.9)
    with pytest.raises(ValueError, match="side must be one of 'high', 'low', 'both'"):
        result.outliers(side="up")


def test_to_dict_is_plain_json_with_every_part():
    observed, expected = in_control_ratios(5, units=40)
    observed[[0, 3]] = [3 * expected[0], np.nan]
    result = funnel_ratio(observed, expected, ids=[f"u{i}" for i in range(40)])
    exported = result.to_dict()
    assert json.loads(json.dumps(exported, allow_nan=False)) == exported  # no NaN, no numpy
    assert exported["phi"] == pytest.approx(result.phi) and exported["tau2"] is not None
    assert exported["method"] == result.method and exported["note"] == result.note
    assert len(exported["limits"]) == len(result.limits)
    assert list(exported["limits"][0]) == ["precision", *LIMIT_COLUMNS]
    assert exported["units"][3]["value"] is None and exported["units"][3]["high_95"] is False
    for flag in FLAG_COLUMNS:
        side, level, *adjusted = flag.split("_")
        chosen = result.outliers(
            float(level) / (100 if level == "95" else 1000), bool(adjusted), side
        )
        assert exported["outliers"][flag] == chosen["unit"].tolist()
    assert "u0" in exported["outliers"]["high_998"]


def test_to_dict_without_over_dispersion_estimate_has_no_phi():
    exported = funnel_ratio([3, 4, 5], [3, 3, 3]).to_dict()
    assert exported["phi"] is None and exported["tau2"] is None
    assert exported["overdispersion_estimated"] is False


def test_limits_at_reproduces_the_limits_table():
    observed, expected = over_dispersed_ratios(2)
    result = funnel_ratio(observed, expected, overdispersion="additive")
    again = result.limits_at(result.limits["precision"])
    pd.testing.assert_frame_equal(again, result.limits)
    proportion = funnel_proportion([3, 4], [10, 12], target=0.3)
    with pytest.raises(ValueError, match="precision must hold whole numbers"):
        proportion.limits_at([10.5])


# --- limits ----------------------------------------------------------------------------------


def test_interpolated_poisson_limits_follow_spiegelhalter_appendix():
    """r_p = smallest r with F(r) >= p; limit = (r_p - (F(r_p) - p) / P(r_p)) / E."""
    expected = np.array([3.0, 17.5, 240.0])
    result = funnel_ratio([3, 17, 240], expected)
    for p, column in ((0.025, "lower_95"), (0.975, "upper_95"), (0.999, "upper_998")):
        r = stats.poisson.ppf(p, expected)
        alpha = (stats.poisson.cdf(r, expected) - p) / stats.poisson.pmf(r, expected)
        limit = np.maximum((r - alpha) / expected, 0.0)  # a ratio cannot be negative
        assert result.units[column].to_numpy() == pytest.approx(limit)


def test_interpolated_binomial_limits_follow_spiegelhalter_appendix():
    size = np.array([12.0, 80.0, 1500.0])
    result = funnel_proportion([2, 20, 450], size, target=0.3)
    for p, column in ((0.001, "lower_998"), (0.025, "lower_95"), (0.975, "upper_95")):
        r = stats.binom.ppf(p, size, 0.3)
        alpha = (stats.binom.cdf(r, size, 0.3) - p) / stats.binom.pmf(r, size, 0.3)
        limit = np.maximum((r - alpha) / size, 0.0)
        assert result.units[column].to_numpy() == pytest.approx(limit)


def test_wilson_limits_mirror_around_one_half():
    """Symmetric treatment of high and low: x / n against 1/2 mirrors (n - x) / n."""
    numerator, size = np.array([3.0, 48, 700]), np.array([10.0, 80, 1000])
    ahead = funnel_proportion(numerator, size, target=0.5, limits="wilson").units
    behind = funnel_proportion(size - numerator, size, target=0.5, limits="wilson").units
    for level in ("95", "998"):
        np.testing.assert_allclose(ahead[f"lower_{level}"], 1 - behind[f"upper_{level}"])
        assert ahead[f"high_{level}"].tolist() == behind[f"low_{level}"].tolist()
    np.testing.assert_allclose(ahead["z"], -behind["z"])


def test_spiegelhalter_binomial_limits_mirror_with_a_one_count_shift():
    """The interpolation joins (r, F(r)); for n - Y this shifts the mirrored limit by 1 / n."""
    size = np.array([40.0, 95.0, 400.0])
    low = funnel_proportion([10, 20, 100], size, target=0.3).units
    high = funnel_proportion([10, 20, 100], size, target=0.7).units
    for level in ("95", "998"):
        np.testing.assert_allclose(low[f"lower_{level}"], 1 - 1 / size - high[f"upper_{level}"])


def test_limits_narrow_as_precision_grows():
    for limits in ("spiegelhalter", "fingertips", "funnelplotr"):
        result = funnel_ratio([1], [1.0], limits=limits)
        table = result.limits_at([2.0, 8.0, 32.0, 128.0, 512.0, 2048.0])
        for level in ("95", "998"):
            width = table[f"upper_{level}"] - table[f"lower_{level}"]
            assert np.all(np.diff(width) < 0), (limits, level)


@pytest.mark.parametrize(
    ("maker", "limits"),
    [
        (funnel_ratio, "fingertips"),
        (funnel_ratio, "funnelplotr"),
        (funnel_proportion, "wilson"),
    ],
)
def test_continuous_conventions_give_monotone_funnels(maker, limits):
    extra = {"target": 0.2} if maker is funnel_proportion else {}
    result = maker([3, 40, 200], [20, 100, 1000], limits=limits, grid_points=500, **extra)
    table = result.limits
    for column in LIMIT_COLUMNS:
        step = np.diff(table[column].to_numpy())
        assert np.all(step >= -1e-12 if column.startswith("lower") else step <= 1e-12), column


def test_spiegelhalter_upper_limit_wiggles_stay_tiny():
    """Interpolating a discrete distribution leaves small saw-teeth on the upper limit."""
    table = funnel_ratio([3, 400], [2.0, 500.0], grid_points=2000).limits
    for column in ("upper_95", "upper_998"):
        values = table[column].to_numpy()
        assert np.all(np.diff(values) <= 1e-3 * values[1:]), column


def test_grid_spans_the_data_and_proportion_grids_are_whole():
    result = funnel_ratio([1, 30, 300], [0.8, 40.0, 250.0], grid_points=50)
    grid = result.limits["precision"].to_numpy()
    assert len(grid) == 50 and np.all(np.diff(grid) > 0)
    assert grid[0] < 0.8 and grid[-1] > 250.0
    proportion = funnel_proportion([1, 30], [3, 4000], target=0.1).limits["precision"]
    assert np.all(proportion == np.round(proportion)) and proportion.iloc[0] >= 1


def test_limits_are_bounded_by_the_target_at_tiny_precision():
    """Below E = 0.025 one event is already beyond the 95 % limit; the limit stays >= target."""
    table = funnel_ratio([0], [0.01]).limits_at([0.01])
    assert table["upper_95"].iloc[0] == 1.0 and table["lower_95"].iloc[0] == 0.0


def test_flags_compare_values_strictly_with_the_limits():
    observed, expected = in_control_ratios(11, units=50)
    units = funnel_ratio(observed, expected).units
    assert units["high_95"].tolist() == (units["value"] > units["upper_95"]).tolist()
    assert units["low_998"].tolist() == (units["value"] < units["lower_998"]).tolist()
    assert not (units["high_998"] & ~units["high_95"]).any()


# --- over-dispersion -------------------------------------------------------------------------


def test_in_control_poisson_data_show_no_over_dispersion():
    observed, expected = in_control_ratios(2024)
    raw = funnel_ratio(observed, expected, overdispersion="additive", winsorise=0.0)
    assert raw.phi == pytest.approx(1.0, abs=0.1) and raw.tau2 < 1e-4
    default = funnel_ratio(observed, expected, overdispersion="additive")
    assert default.tau2 == 0.0 and not default.adjusted
    assert default.outliers(side="both").empty


def test_winsorised_phi_of_normal_scores_matches_normal_theory():
    """Winsorising 10 % each side shrinks phi for in-control data to about 0.68."""
    observed, expected = in_control_ratios(99, units=20000)
    result = funnel_ratio(observed, expected)
    c = stats.norm.isf(0.1)
    theory = 2 * (stats.norm.cdf(c) - 0.5 - c * stats.norm.pdf(c)) + 2 * 0.1 * c * c
    assert result.phi == pytest.approx(theory, abs=0.03)


def test_over_dispersed_data_widen_the_limits():
    observed, expected = over_dispersed_ratios(7)
    plain = funnel_ratio(observed, expected)
    for method in ("multiplicative", "additive"):
        result = funnel_ratio(observed, expected, overdispersion=method)
        assert result.adjusted and result.phi > 2 and result.tau2 > 0
        units = result.units
        assert np.all(units["upper_998_adjusted"] >= units["upper_998"])
        assert np.all(units["lower_998_adjusted"] <= units["lower_998"])
        assert units["high_998_adjusted"].sum() < plain.units["high_998"].sum()


def test_multiplicative_adjustment_divides_z_by_root_phi():
    observed, expected = over_dispersed_ratios(8)
    result = funnel_ratio(observed, expected, overdispersion="multiplicative")
    units = result.units
    np.testing.assert_allclose(units["z"], 2 * (np.sqrt(observed) - np.sqrt(expected)))
    np.testing.assert_allclose(units["z_adjusted"], units["z"] / np.sqrt(result.phi))
    big = result.limits_at([1e5])  # normal limits dominate the exact ones at large E
    spread = np.sqrt(result.phi) / (2 * np.sqrt(1e5))
    z = stats.norm.isf(0.001)
    assert big["upper_998_adjusted"].iloc[0] == pytest.approx((1 + z * spread) ** 2)


def test_additive_adjustment_matches_dersimonian_laird_by_hand():
    observed, expected = over_dispersed_ratios(9, units=40)
    result = funnel_ratio(observed, expected, overdispersion="additive", winsorise=0.0)
    z = 2 * (np.sqrt(observed) - np.sqrt(expected))
    weights = 4 * expected  # 1 / s^2 with s = 1 / (2 sqrt(E))
    phi = np.mean(z**2)
    tau2 = (40 * phi - 39) / (weights.sum() - (weights**2).sum() / weights.sum())
    assert (result.phi, result.tau2) == pytest.approx((phi, tau2))
    spread = np.sqrt(1 / (4 * expected) + tau2)
    expected_z = (np.sqrt(observed / expected) - 1) / spread
    np.testing.assert_allclose(result.units["z_adjusted"], expected_z)


def test_phi_at_most_one_gives_no_inflation():
    observed, expected = in_control_ratios(2024)
    result = funnel_ratio(observed, expected, overdispersion="multiplicative")
    assert result.phi <= 1 and not result.adjusted
    assert "φ ≤ 1" in result.note
    units = result.units
    for level in ("95", "998"):
        for bound in ("lower", "upper"):
            column = f"{bound}_{level}"
            assert units[f"{column}_adjusted"].tolist() == units[column].tolist()
    assert units["z_adjusted"].tolist() == units["z"].tolist()


def test_winsorisation_clips_ten_percent_at_each_end():
    observed, expected = over_dispersed_ratios(4, units=100)
    result = funnel_ratio(observed, expected, overdispersion="additive")
    assert result.n_winsorised == 20 == int(result.units["trimmed"].sum())
    ranked = result.units.sort_values("z")["trimmed"].to_numpy()
    assert ranked[:10].all() and ranked[-10:].all() and not ranked[10:-10].any()
    untrimmed = funnel_ratio(observed, expected, winsorise=0.0)
    assert untrimmed.n_winsorised == 0 and untrimmed.phi > result.phi


def test_truncation_drops_the_extreme_tenths():
    observed, expected = over_dispersed_ratios(4, units=100)
    result = funnel_ratio(observed, expected, transform="log", trim_method="truncate")
    assert result.n_winsorised == 20 and result.n_used == 100
    kept = result.units.loc[~result.units["trimmed"], "z"].to_numpy()
    assert result.phi == pytest.approx(np.mean(kept**2))
    assert "20 unité(s) sur 100 écartée(s) (troncature)" in result.note


def test_log_scores_leave_out_units_with_no_event():
    observed, expected = in_control_ratios(6, units=30)
    observed[0] = 0
    result = funnel_ratio(observed, expected, transform="log", overdispersion="additive")
    assert result.units["z"].iloc[0] == -np.inf and result.n_used == 29


def test_small_samples_do_not_estimate_over_dispersion():
    observed, expected = over_dispersed_ratios(3, units=6)
    result = funnel_ratio(observed, expected, overdispersion="additive")
    assert np.isnan(result.phi) and np.isnan(result.tau2)
    assert not result.overdispersion_estimated and not result.adjusted
    assert result.note == (
        "Sur-dispersion non estimée : 6 unité(s) utilisable(s), il en faut au moins 10 ; "
        "limites non ajustées."
    )
    adjusted = [f"{column}_adjusted" for column in LIMIT_COLUMNS[:4]]
    np.testing.assert_array_equal(
        result.limits[adjusted].to_numpy(), result.limits[list(LIMIT_COLUMNS[:4])].to_numpy()
    )
    assert funnel_ratio(observed, expected, min_units=5).overdispersion_estimated


def test_no_adjustment_requested_still_reports_phi():
    observed, expected = over_dispersed_ratios(12)
    result = funnel_ratio(observed, expected)
    assert result.overdispersion_estimated and result.phi > 2 and not result.adjusted
    assert result.note.endswith("à titre indicatif : aucun ajustement demandé.")


# --- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize("overdispersion", ["none", "multiplicative", "additive"])
def test_a_planted_outlier_is_detected(overdispersion):
    observed, expected = in_control_ratios(31)
    observed[17] = np.round(2.5 * expected[17])
    observed[42] = np.round(0.4 * expected[42])
    result = funnel_ratio(observed, expected, overdispersion=overdispersion)
    assert 17 in result.outliers()["unit"].tolist()
    assert 42 in result.outliers(side="low")["unit"].tolist()


def test_a_planted_proportion_outlier_is_detected_against_the_pooled_value():
    rng = np.random.default_rng(5)
    size = rng.integers(50, 2000, 200).astype(float)
    numerator = rng.binomial(size.astype(int), 0.2).astype(float)
    numerator[3] = np.round(0.45 * size[3])
    result = funnel_proportion(numerator, size, target="pooled", overdispersion="additive")
    assert result.target_source == "pooled"
    assert result.target == pytest.approx(numerator.sum() / size.sum())
    assert result.outliers()["unit"].tolist() == [3]
