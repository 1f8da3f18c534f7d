"""From the engine's sums to published audit results on every engine: exact (Clopper–Pearson)
CI, DI below 30 evaluable records (excluded records do not count), positions against the
national value with the stated rule, none against a target unless one is set — and then it
is labelled an assumption."""

import json

import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.catalogue.definitions import audit_had_dossier
from hospiscope.catalogue.definitions._audits import audit_indicator
from hospiscope.catalogue.loader import indicator_meta
from hospiscope.engines.runner import evaluate
from hospiscope.results.finalize import POSITION_RULE, finalize
from hospiscope.stats import exact_interval

from speclib import REGISTRY, arrow_table

HEADER = "campaign | finess_et | indicator | record_number | outcome | import_run_id"


def records(finess: str, outcomes: str) -> list[str]:
    """One line per character of `outcomes`: o = oui, n = non, x = NA."""
    words = {"o": "oui", "n": "non", "x": "NA"}
    return [
        f"2024 | {finess} | HAD_DOSSIER | {i} | {words[c]} | 2"
        for i, c in enumerate(outcomes, start=1)
    ]


# 010000024: 30 evaluable (27 compliant) + 2 excluded → published, 90 %.
# 010000065: 29 evaluable + 5 excluded → DI although 34 records were audited.
# 010000107: 40 evaluable, 10 compliant → CI entirely below the national value.
RECORDS = "\n".join(
    [
        HEADER,
        *records("010000024", "o" * 27 + "n" * 3 + "xx"),
        *records("010000065", "o" * 20 + "n" * 9 + "x" * 5),
        *records("010000107", "o" * 10 + "n" * 30),
    ]
)


def variant(**changes):
    """AUDIT_HAD_DOSSIER with some of its metadata changed (as its file would say it)."""
    literal = audit_had_dossier.META | changes
    return audit_indicator(indicator_meta(literal, audit_had_dossier.__file__), "HAD_DOSSIER")


def published(engine, schemas, indicator) -> pd.DataFrame:
    arrow = {
        "audit_records": arrow_table(schemas["audit_records"], RECORDS),
        "establishments": arrow_table(schemas["establishments"], REGISTRY),
        "peer_groups": schemas["peer_groups"].empty_table(),
    }
    raw = evaluate(engine, indicator, engine.load(arrow))
    out = finalize(indicator, raw)
    return out.set_index(["entity_kind", "entity_id"])


def test_minimum_sample_is_thirty_evaluable_records():
    meta = get_indicator("AUDIT_HAD_DOSSIER").meta
    assert meta.min_sample == 30 and meta.status_label("DI").startswith("Données insuffisantes")
    assert any("hypothèse hospiscope" in a and "(DI)" in a for a in meta.assumptions)


def test_published_values_statuses_and_positions(engine, warehouse_schemas):
    out = published(engine, warehouse_schemas, get_indicator("AUDIT_HAD_DOSSIER"))
    first = out.loc[("etablissement", "010000024")]
    assert (first["numerator"], first["denominator"]) == (27, 30)
    assert first["value"] == pytest.approx(90.0)
    low, high = exact_interval(27, 30)
    assert first["ci_low"] == pytest.approx(100 * low)
    assert first["ci_high"] == pytest.approx(100 * high)
    assert first["ci_method"] == "Clopper-Pearson" and pd.isna(first["status"])

    di = out.loc[("etablissement", "010000065")]
    assert (di["denominator"], di["status"]) == (29, "DI")
    assert pd.isna(di["value"]) and pd.isna(di["ci_low"]) and pd.isna(di["details"])

    national = out.loc[("national", "FR")]
    assert (national["numerator"], national["denominator"]) == (57, 99)  # DI records count
    assert pd.isna(national["status"]) and national["value"] == pytest.approx(5700 / 99)

    below = json.loads(out.loc[("etablissement", "010000107"), "details"])
    assert below == {"regle_position": POSITION_RULE, "position_national": "en dessous"}
    above = json.loads(first["details"])
    assert above["position_national"] == "au-dessus"
    assert "position_objectif" not in above  # no target in our sources


def test_a_target_gives_positions_against_it(engine, warehouse_schemas):
    """A target, labelled a hospiscope assumption as every audit target must be
    (tests/unit/catalogue), places each establishment against it with the same rule."""
    source = "Objectif de 80 % : hypothèse hospiscope (test)."
    indicator = variant(
        target=80.0,
        target_source=source,
        assumptions=(*audit_had_dossier.META["assumptions"], source),
    )
    out = published(engine, warehouse_schemas, indicator)
    first = json.loads(out.loc[("etablissement", "010000024"), "details"])
    last = json.loads(out.loc[("etablissement", "010000107"), "details"])
    assert first["position_objectif"] == "non significativement différent"  # 73.5–97.9 %
    assert last["position_objectif"] == "en dessous"


def test_minimum_sample_is_configurable(engine, warehouse_schemas):
    di = {"code": "DI", "label": "Données insuffisantes (moins de 20 dossiers évaluables)"}
    indicator = variant(min_sample=20, statuses=(di,))
    out = published(engine, warehouse_schemas, indicator)
    assert pd.isna(out.loc[("etablissement", "010000065"), "status"])
