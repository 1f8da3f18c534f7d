"""From pooled counts to published values: value, CI (Wilson, checked against Newcombe 1998),
DI below the minimum sample at establishment level only, counts without CI."""

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.finalize import finalize


def frame(rows):
    return pd.DataFrame(
        rows, columns=["entity_kind", "entity_id", "period", "numerator", "denominator"]
    )


def test_rate_with_wilson_interval_and_di():
    raw = frame(
        [
            ("national", "FR", "2024", 81, 263),  # Newcombe 1998: Wilson 0.2553–0.3662
            ("etablissement", "010000024", "2024", 15, 148),  # Wilson 0.0624–0.1605
            ("etablissement", "010002129", "2024", 10, 29),  # below 30: DI
            ("region", "84", "2024", 10, 29),  # aggregates are always published
        ]
    )
    out = finalize(get_indicator("ESATIS48H_RECO"), raw).set_index("entity_id")
    assert out.loc["FR", "value"] == pytest.approx(100 * 81 / 263)
    assert (out.loc["FR", "ci_low"], out.loc["FR", "ci_high"]) == pytest.approx(
        (25.53, 36.62), abs=5e-3
    )
    assert (out.loc["010000024", "ci_low"], out.loc["010000024", "ci_high"]) == pytest.approx(
        (6.24, 16.05), abs=5e-3
    )
    assert out.loc["FR", "ci_method"] == "Wilson" and out.loc["FR", "ci_level"] == 0.95
    di = out.loc["010002129"]
    assert di["status"] == "DI" and np.isnan(di["value"]) and np.isnan(di["ci_low"])
    assert (di["numerator"], di["denominator"]) == (10, 29)  # kept: self-describing
    assert pd.isna(out.loc["84", "status"]) and out.loc["84", "value"] == pytest.approx(
        100 * 10 / 29
    )


def test_zero_denominator_gives_no_value():
    out = finalize(get_indicator("ESATIS48H_RECO"), frame([("national", "FR", "2024", 0, 0)]))
    assert np.isnan(out["value"][0]) and np.isnan(out["ci_low"][0])


def test_count_has_no_interval():
    out = finalize(get_indicator("REG_ETAB"), frame([("national", "FR", "registre", 5368, None)]))
    assert out["value"][0] == 5368
    assert np.isnan(out["ci_low"][0]) and pd.isna(out["ci_method"][0])
    assert pd.isna(out["status"][0]) and pd.isna(out["class"][0])
