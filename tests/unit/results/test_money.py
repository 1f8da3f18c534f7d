"""Money at stake: zero at the target, linear beyond it, one-off kept apart from recurring,
what-if targets (one value, or the peers' best 20 %), rows that cannot be valued reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hospiscope.catalogue.levers.loader import PLANNED
from hospiscope.catalogue.money import money_catalogue, money_rules
from hospiscope.results.money import money_at_stake, peer_targets


def _results(code: str, values, denominator=3_650_000.0) -> pd.DataFrame:
    return pd.DataFrame({
        "entity_id": [f"E{i}" for i in range(len(values))],
        "indicator_code": code,
        "value": values,
        "denominator": denominator,
    })  # fmt: skip


def test_every_rule_names_a_planned_or_existing_indicator():
    from hospiscope.catalogue import catalogue_meta

    for code in money_rules():
        assert code in catalogue_meta() or code in PLANNED, code
    assert {t.amount_eur for t in money_catalogue().totals} == {1.2e9, 4.9e8}


def test_days_beyond_target_are_zero_at_target_and_linear_beyond():
    # 3 650 000 € billed a year = 10 000 € a day; target 30 days.
    found = money_at_stake(_results("EFF_DELAI_FACT_AMO", [20.0, 30.0, 31.0, 40.0, 60.0]),
                           {"EFF_DELAI_FACT_AMO": 30.0})  # fmt: skip
    amounts = found.rows.set_index("entity_id")["amount_eur"]
    assert amounts.tolist() == pytest.approx([0.0, 0.0, 10_000.0, 100_000.0, 300_000.0])
    assert (found.rows["kind"] == "ponctuel").all()
    assert found.rows["formula"].iloc[0] == "(valeur − cible) jours × montant annuel ÷ 365"
    steps = np.diff(amounts.to_numpy()[2:]) / np.diff([31.0, 40.0, 60.0])
    assert steps == pytest.approx([10_000.0, 10_000.0])  # € per day beyond the target


def test_rates_below_a_target_and_above_one():
    recovery = money_at_stake(_results("EFF_RECOUVREMENT_AMC_6M", [95.0, 91.0, 81.0], 1e6),
                              {"EFF_RECOUVREMENT_AMC_6M": 91.0})  # fmt: skip
    assert recovery.rows["amount_eur"].tolist() == pytest.approx([0.0, 0.0, 100_000.0])
    receivables = money_at_stake(_results("EFF_CREANCES_PATIENT", [2.0, 7.0], 1e6),
                                 {"EFF_CREANCES_PATIENT": 5.0})  # fmt: skip
    assert receivables.rows["amount_eur"].tolist() == pytest.approx([0.0, 20_000.0])


def test_rows_that_cannot_be_valued_are_reported_not_dropped():
    results = _results("EFF_STOCK_DM", [40.0, np.nan, 50.0])
    results.loc[2, "denominator"] = np.nan
    found = money_at_stake(results, {"EFF_STOCK_DM": 28.0})
    assert found.rows["entity_id"].tolist() == ["E0"]
    assert found.unvalued.set_index("entity_id")["reason"].to_dict() == {
        "E1": "pas de valeur (statut ou données manquantes)",
        "E2": "montant annuel inconnu (dénominateur manquant)",
    }
    assert any("sans montant" in note for note in found.notes)
    other = money_at_stake(_results("AUDIT_MCO_QLS", [50.0]))  # no money rule: not valued
    assert other.rows.empty and other.unvalued.empty


def test_what_if_the_best_20_percent_of_peers_per_establishment():
    bands = {"EFF_STOCK_MEDICAMENTS": pd.DataFrame({
        "entity_id": ["E0", "E1"], "region_code_p20": [25.0, 35.0], "region_code_p80": [60, 70],
    })}  # fmt: skip
    targets = peer_targets(bands, "region_code")  # lower is better: the peers' P20
    assert targets == {"EFF_STOCK_MEDICAMENTS": {"E0": 25.0, "E1": 35.0}}
    found = money_at_stake(_results("EFF_STOCK_MEDICAMENTS", [45.0, 45.0]), targets)
    # 10 000 € a day of consumption: 20 days above 25, 10 days above 35
    assert found.rows["amount_eur"].tolist() == pytest.approx([200_000.0, 100_000.0])
    totals = found.totals()
    expected = {"kind": "ponctuel", "indicator_code": "EFF_STOCK_MEDICAMENTS",
                "amount_eur": 300_000.0, "entities": 2}  # fmt: skip
    assert totals.to_dict("records") == [expected]



def test_the_indicator_s_own_target_by_default():
    # EFF_STOCK_DM: target 28 days (ANAP); 38 days of a 3 650 000 € consumption = 100 000 €
    found = money_at_stake(_results("EFF_STOCK_DM", [38.0, 20.0]))
    assert found.rows["target"].tolist() == [28.0, 28.0]
    assert found.rows["amount_eur"].tolist() == pytest.approx([100_000.0, 0.0])
