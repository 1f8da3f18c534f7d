"""The demo record audits: deterministic, in the audit layout, eligible establishments by
activity, and calibrated on the national values of the HAS 2024 press file (records pooled),
with the published changes between campaigns and some establishments below 30 records."""

import numpy as np
import polars as pl
import pytest

from hospiscope.demo.activities import eligible
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import audits as demo
from hospiscope.demo.profiles import HAD_SHARES
from hospiscope.sources.audits import HEADER, INDICATORS, LAYOUT
from hospiscope.sources.tabular import read_table
from hospiscope.warehouse import Warehouse

from support import demo_registry_and_capacity

CAMPAIGNS = (2023, 2024)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled registry (its names decide the site kinds) and demo capacities."""
    with Warehouse(tmp_path_factory.mktemp("demo-audits") / "entrepot.duckdb") as wh:
        return demo_registry_and_capacity(wh)


@pytest.fixture(scope="module")
def registry(bundled) -> pl.DataFrame:
    return bundled[0]


@pytest.fixture(scope="module")
def capacity(bundled) -> pl.DataFrame:
    return bundled[1]


@pytest.fixture(scope="module")
def records(registry, capacity) -> pl.DataFrame:
    return demo.generate_records(np.random.default_rng(5), registry, capacity, CAMPAIGNS)


def national(records: pl.DataFrame) -> dict[tuple[str, int], float]:
    evaluable = records.filter(pl.col("outcome") != "NA")
    rates = evaluable.group_by("indicator", "campaign").agg(
        value=(pl.col("outcome") == "oui").mean() * 100
    )
    return {(r["indicator"], r["campaign"]): r["value"] for r in rates.iter_rows(named=True)}


def per_establishment(records: pl.DataFrame) -> pl.DataFrame:
    return records.group_by("campaign", "indicator", "finess_et").agg(
        audited=pl.len(), evaluable=(pl.col("outcome") != "NA").sum()
    )


def test_same_seed_same_records(registry, capacity):
    def run(seed):
        return demo.generate_records(np.random.default_rng(seed), registry, capacity, (2024,))

    assert run(1).equals(run(1))
    assert not run(1).equals(run(2))


def test_every_indicator_has_a_calibration_with_its_source():
    assert set(demo.CALIBRATION) == set(INDICATORS)
    for calibration in demo.CALIBRATION.values():
        assert calibration.value.source


@pytest.mark.parametrize(
    ("code", "campaign", "expected"),
    [
        ("CA_QLS", 2024, 68.0),
        ("CA_QLS", 2023, 68.0 - 7 / 3),  # +7 points since 2021
        ("CA_ELIGIBILITE", 2023, 80.0),  # no published change: kept
        ("HAD_DOSSIER", 2023, 89.0 - 3.5 / 3),
        ("HAD_COORDINATION", 2023, 78.0 - 8 / 3),
        ("PSY_CARDIO", 2024, 69.0),  # 2023 records
        ("PSY_CARDIO", 2023, 69.0 - 9 / 2),  # 2022 records, +9 since 2021 records
        ("PSY_DIGESTIF", 2023, 46.0 - 17.5 / 2),
        ("PSY_ADDICTIONS", 2023, 65.0 - 10.6 / 2),
        ("MCO_PCC", 2024, 37.0),
        ("MCO_PCC", 2023, 28.0),  # +9 points vs 2022 records
    ],
)
def test_national_targets_follow_the_published_values_and_changes(code, campaign, expected):
    assert demo.national_value(code, campaign) == pytest.approx(expected)


def test_national_values_match_the_calibration(records):
    """Records pooled over the nation: within 1 point of every target (the logit level is
    solved exactly on the drawn effects; what remains is binomial noise, ≈0.2–0.4 point)."""
    found = national(records)
    assert len(found) == len(INDICATORS) * len(CAMPAIGNS)
    for (code, campaign), value in found.items():
        assert value == pytest.approx(demo.national_value(code, campaign), abs=1.0), code


@pytest.mark.parametrize(
    ("code", "yearly_change"),
    [
        ("CA_QLS", 7 / 3),
        ("HAD_DOSSIER", 3.5 / 3),
        ("HAD_COORDINATION", 8 / 3),
        ("PSY_CARDIO", 9 / 2),
        ("PSY_DIGESTIF", 17.5 / 2),
        ("PSY_ADDICTIONS", 10.6 / 2),
        ("MCO_PCC", 9.0),
        ("CA_DOULEUR", 0.0),
    ],
)
def test_changes_between_campaigns_follow_the_published_ones(records, code, yearly_change):
    found = national(records)
    assert found[(code, 2024)] - found[(code, 2023)] == pytest.approx(yearly_change, abs=1.0)


def test_samples_insufficient_data_and_exclusions(records):
    counts = per_establishment(records)
    small = counts.filter(pl.col("audited") < 30)
    assert 0.05 < small.height / counts.height < 0.2
    assert counts.filter(pl.col("audited") >= 30)["audited"].is_between(60, 80).all()
    di = counts.filter(pl.col("evaluable") < 30)
    assert di.height >= small.height  # exclusions can push a sample under 30
    excluded = (records["outcome"] == "NA").mean()
    assert excluded == pytest.approx(demo.EXCLUSION_RATE.value, abs=0.005)


def test_the_records_of_a_sector_are_the_same_for_each_of_its_indicators(records):
    counts = per_establishment(records).with_columns(
        sector=pl.col("indicator").replace_strict({c: i.sector for c, i in INDICATORS.items()})
    )
    spread = counts.group_by("campaign", "sector", "finess_et").agg(
        pl.col("audited").n_unique().alias("sizes")
    )
    assert (spread["sizes"] == 1).all()


def test_eligibility_by_activity(registry, capacity, records):
    """Every sector is audited exactly where the demo's activity rule gives its activity."""
    audited = {
        sector: set(
            records.filter(
                pl.col("indicator").is_in([c for c, i in INDICATORS.items() if i.sector == sector])
            )["finess_et"]
        )
        for sector in ("CA", "MCO", "HAD", "PSY")
    }
    for sector, finess in audited.items():
        assert finess == set(capacity.filter(eligible(capacity, f"audits:{sector}"))["finess_et"])
    assert audited["MCO"] == set(capacity.filter(pl.col("beds_mco") > 0)["finess_et"])
    assert audited["PSY"] == set(capacity.filter(pl.col("beds_psy") > 0)["finess_et"])
    kinds = dict(zip(capacity["finess_et"], capacity["site_kind"], strict=True))
    categories = dict(zip(registry["finess_et"], registry["category_code"], strict=True))
    assert {categories[f] for f in audited["HAD"] if kinds[f] == "hopital"} == set(HAD_SHARES)
    assert any(kinds[f] == "had" for f in audited["HAD"])  # the sites named as HAD
    assert 200 < len(audited["HAD"]) < 360  # about 280 sites


def test_small_scale_audits_fewer_establishments_with_full_samples(registry, capacity):
    small = demo.generate_records(np.random.default_rng(5), registry, capacity, (2024,), 0.01)
    counts = per_establishment(small)
    sizes = counts.group_by("indicator").agg(pl.col("finess_et").n_unique().alias("n"))
    assert sizes["n"].min() >= demo.MIN_AUDITED and sizes["n"].max() < 30
    assert counts["audited"].max() <= 80 and counts["audited"].max() >= 60


def test_files_in_the_audit_layout(registry, capacity, tmp_path):
    context = DemoContext(registry, capacity, tmp_path, CAMPAIGNS, 0.02, 3)
    written = demo.write_files(context)
    assert [(command, path.name) for command, path in written] == [
        ("audits", "dossiers-audites-2023.csv"),
        ("audits", "dossiers-audites-2024.csv"),
    ]
    for campaign, (_, path) in zip(CAMPAIGNS, written, strict=True):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf" + ";".join(HEADER).encode() + b"\r\n")
        rows, issues = read_table(path, LAYOUT)
        assert not issues and rows and {r["campaign"] for r in rows} == {campaign}
    assert demo.write_files(context) == written  # same context, same files
    assert written[1][1].read_bytes() == demo.write_files(context)[1][1].read_bytes()


def test_assumptions_are_labelled():
    assert not demo.CALIBRATION["CA_ELIGIBILITE"].value.is_assumption
    assert not demo.CALIBRATION["HAD_DOSSIER"].change.is_assumption
    assert demo.CALIBRATION["CA_QLS"].value.is_assumption  # "fewer than 7 in 10"
    assert demo.CALIBRATION["MCO_QLS"].value.is_assumption  # not in our sources
    assert demo.CALIBRATION["PSY_CARDIO"].change.is_assumption  # which 2021
    assert demo.value_source("HAD_DOSSIER", 2023).startswith("hypothèse hospiscope")
    assert demo.value_source("HAD_DOSSIER", 2024) == "HAS-2024"
    for target in (
        demo.SAMPLE_SIZE,
        demo.SMALL_SHARE,
        demo.EXCLUSION_RATE,
        demo.EFFECT_SD,
        demo.SHARED_EFFECT,
        demo.CAMPAIGN_SD,
        *HAD_SHARES.values(),
    ):
        assert target.is_assumption
