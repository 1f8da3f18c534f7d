"""The demo certification generator: files in hospiscope's layouts, deterministic, calibrated
on the state HAS published at the end of 2024 (87 % certified, 23 % with the mention, 9 % under
conditions, 4 % not certified, 1 633 decisions, 4 in 5 certified at the follow-up visit), with
the published type and regional contrasts, and criteria results consistent with decisions.

The registry here is synthetic (large groups keep the tolerances tight); the figures are read
back from the written files with the importer's reader and the indicators' pandas
references."""

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.catalogue.definitions._certification import decision_states_frame
from hospiscope.demo.capacity import generate_capacity
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import certification as demo
from hospiscope.sources.certification import CRITERIA_RESULTS, DECISIONS
from hospiscope.sources.finess.numbers import luhn_check_digit
from hospiscope.sources.tabular import read_table

CATEGORIES = {"101": 800, "131": 300, "292": 1500, "355": 2600, "109": 1500, "365": 900}
REGIONS = {"11": 3000, "84": 2000, "28": 1300, "04": 800, "01": 300, "02": 300, "03": 200,
           "06": 200, "76": 1500}  # fmt: skip
CERTIFIED = ("certifie", "certifie_mention")


def finess(i: int) -> str:
    first = f"01{i:06d}"
    return first + luhn_check_digit(first)


def registry(seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    categories = np.repeat(list(CATEGORIES), list(CATEGORIES.values()))
    regions = rng.permutation(np.repeat(list(REGIONS), list(REGIONS.values())))
    return pl.DataFrame(
        {
            "finess_et": [finess(i) for i in range(categories.size)],
            "category_code": categories,
            "legal_status": "public",
            "region_code": regions[: categories.size],
        }
    )


def build(tmp_path, *, scale=5.0, seed=20_241, campaigns=(2023, 2024), units=None):
    units = registry() if units is None else units
    capacity = generate_capacity(np.random.default_rng(1), units, 2023)
    context = DemoContext(units, capacity, tmp_path, campaigns, scale, seed)
    return demo.write_files(context)


def read(files) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames = {}
    for (command, path), layout in zip(files, (DECISIONS, CRITERIA_RESULTS), strict=True):
        rows, issues = read_table(path, layout)
        assert not issues, issues[:3]
        frames[command] = pd.DataFrame(rows)
    return frames["certification-decisions"], frames["certification-criteres"]


def read_quickly(files) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same frames as `read` (without its checks, much faster on large files)."""
    frames = []
    for (_, path), layout in zip(files, (DECISIONS, CRITERIA_RESULTS), strict=True):
        frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
        for field in layout.fields:
            if field.kind == "date":
                frame[field.name] = pd.to_datetime(frame[field.name], format="%d/%m/%Y").dt.date
            elif field.kind == "count":
                frame[field.name] = frame[field.name].astype(int)
        frames.append(frame.rename(columns={f.name: f.target for f in layout.fields}))
    return frames[0], frames[1]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """The demo at scale 5 on the synthetic registry, with the state at the end of 2024."""
    decisions, criteria = read_quickly(build(tmp_path_factory.mktemp("demo")))
    states = decision_states_frame({"certification_decisions": decisions})
    state = states[states["year"] == 2024].merge(registry().to_pandas(), on="finess_et", how="left")
    return decisions, criteria, state


def test_files_and_commands(tmp_path):
    files = build(tmp_path, scale=0.5)
    assert [command for command, _ in files] == [
        "certification-decisions",
        "certification-criteres",
    ]
    assert files[0][1].read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    decisions, criteria = read(files)
    assert set(decisions["cycle"]) == {5} and set(criteria["criterion_type"]) == {"imperatif"}
    assert set(decisions["finess_et"]) <= set(registry()["finess_et"])


def test_same_seed_same_files(tmp_path):
    first = [p.read_bytes() for _, p in build(tmp_path / "a", scale=0.3)]
    again = [p.read_bytes() for _, p in build(tmp_path / "b", scale=0.3)]
    other = [p.read_bytes() for _, p in build(tmp_path / "c", scale=0.3, seed=7)]
    assert first == again and first != other


def test_1633_decisions_by_the_end_of_2024(tmp_path):
    decisions, _ = read(build(tmp_path, scale=1.0))
    first = decisions.groupby("finess_et")["decision_date"].min()
    assert (first <= dt.date(2024, 12, 31)).sum() == 1633
    assert decisions["decision_date"].max() <= dt.date(2024, 12, 31)
    assert (decisions["visit_date"] < decisions["decision_date"]).all()
    assert decisions["visit_date"].min() >= dt.date(2021, 6, 1)


@pytest.mark.parametrize(
    ("decisions", "published", "tolerance"),
    [
        (CERTIFIED, 0.87, 0.015),
        (("certifie_mention",), 0.23, 0.015),
        (("certifie_sous_conditions",), 0.09, 0.01),
        (("non_certifie",), 70 / 1633, 0.008),
    ],
)
def test_state_at_the_end_of_2024(national, decisions, published, tolerance):
    _, _, state = national
    assert state["decision"].isin(decisions).mean() == pytest.approx(published, abs=tolerance)


def test_four_in_five_certified_at_the_follow_up_visit(national):
    decisions, _, _ = national
    frame = get_indicator("CERT_SUIVI_CERTIFIES").reference({"certification_decisions": decisions})
    latest = frame[frame["period"] == "2024"]
    assert latest["denominator"].sum() > 500
    share = latest["numerator"].sum() / latest["denominator"].sum()
    assert share == pytest.approx(0.80, abs=0.04)


def test_establishments_under_conditions_then_certified(national):
    decisions, _, _ = national
    ordered = decisions.sort_values("decision_date").groupby("finess_et")["decision"]
    paths = ordered.agg(tuple)
    assert (paths == ("certifie_sous_conditions", "certifie")).sum() > 100
    assert paths.map(len).max() >= 3  # e.g. conditions, not certified, then a new visit


def test_type_and_regional_contrasts(national):
    """CHU and cancer centres best; psychiatry, overseas (except La Réunion) and Normandie
    below the national figure (hospiscope's effect sizes, published directions)."""
    _, _, state = national
    certified = state["decision"].isin(CERTIFIED)
    mention = state["decision"] == "certifie_mention"
    overall, overall_mention = certified.mean(), mention.mean()
    best = state["category_code"].isin(["101", "131"])
    assert mention[best].mean() > overall_mention + 0.10
    assert certified[best].mean() > overall + 0.03
    assert certified[state["category_code"] == "292"].mean() < overall - 0.04
    overseas = state["region_code"].isin(["01", "02", "03", "06"])
    assert certified[overseas].mean() < overall - 0.08
    assert certified[state["region_code"] == "28"].mean() < overall - 0.04
    assert certified[state["region_code"] == "04"].mean() > overall - 0.03


def test_criteria_follow_the_decisions(national):
    """First visits assess the 16 imperative criteria (or mark them non applicable); a visit
    ending in a certification has no unmet criterion, any other decision at least one; a
    follow-up visit re-assesses criteria unmet at the previous visit only."""
    decisions, criteria, _ = national
    codes = set(demo._CODES)
    assessed, unmet = {}, {}
    for row in criteria.itertuples():
        key = (row.finess_et, row.visit_date)
        assessed.setdefault(key, set()).add(row.criterion)
        unmet.setdefault(key, set())
        if row.result == "non_satisfait":
            unmet[key].add(row.criterion)
    previous = None
    for row in decisions.sort_values(["finess_et", "decision_date"]).itertuples():
        key = (row.finess_et, row.visit_date)
        assert bool(unmet[key]) is (row.decision not in CERTIFIED), key
        if previous is None or previous.finess_et != row.finess_et:
            assert assessed[key] == codes, key  # first visit
        else:
            assert assessed[key] == unmet[(previous.finess_et, previous.visit_date)], key
        previous = row
    assert len(decisions) == len(unmet)  # every visit written has its decision


def test_criteria_to_improve_fail_more_often(national):
    """HAS-2024 lists the criteria meeting national requirements and those to improve."""
    _, criteria, _ = national
    assessed = criteria[criteria["result"] != "non_applicable"]
    failed = assessed.assign(failed=assessed["result"] == "non_satisfait").groupby("criterion")
    rates = failed["failed"].mean()
    to_improve = rates[list(demo._TO_IMPROVE)].mean()
    meeting = rates[list(demo._MEETING)].mean()
    assert to_improve > 2 * meeting


def test_non_applicable_criteria_need_the_activity(national):
    _, criteria, state = national
    first = criteria.merge(state[["finess_et", "category_code"]], on="finess_et")
    psychiatric_exam = first[first["criterion"] == "SOMATIQUE_PSY"]
    psy = psychiatric_exam[psychiatric_exam["category_code"] == "292"]
    assert (psy["result"] != "non_applicable").all()
    ssr = psychiatric_exam[psychiatric_exam["category_code"] == "109"]
    assert (ssr["result"] == "non_applicable").all()


def test_only_decisions_of_the_campaign_years(tmp_path):
    decisions, criteria = read(build(tmp_path, scale=1.0, campaigns=(2022,)))
    assert decisions["decision_date"].max() <= dt.date(2022, 12, 31)
    assert set(criteria["visit_date"]) <= set(decisions["visit_date"])


def test_tiny_scale_writes_nothing(tmp_path):
    assert build(tmp_path, scale=0.0001) == []


def test_assumptions_are_labelled():
    assert all(target.is_assumption for target in demo.ASSUMPTIONS)
    assert not demo.DECISIONS_END_2024.is_assumption
    assert not any(t.is_assumption for t in demo.STATE_SHARES.values())
    assert not demo.FOLLOW_UP_CERTIFIED.is_assumption
