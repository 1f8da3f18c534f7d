"""Funnel plots of stored O/E results (ISO-ORTHO on the demo warehouse): the same flags as the
stored classes, one JSON object from the command line, national limits in a regional bilan."""

import json

import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.reports.bilan import build_bilan
from hospiscope.results.funnels import stored_funnel
from hospiscope.results.store import read_results
from hospiscope.warehouse import Warehouse

from support import hospiscope

CODE, CAMPAIGN = "ISO_PTH", 2024


@pytest.fixture(scope="module")
def stored(demo_warehouse):
    with Warehouse(demo_warehouse, read_only=True) as wh:
        found = stored_funnel(wh.con, get_indicator(CODE), CAMPAIGN)
        rows = read_results(wh.con, indicator=CODE, period=str(CAMPAIGN))
    return found, rows


def test_flags_are_the_stored_classes(stored):
    (period, result), rows = stored
    establishments = rows[(rows["entity_kind"] == "etablissement") & rows["class"].notna()]
    assert period == str(CAMPAIGN) and result.n_units == len(establishments)
    classes = establishments.set_index("entity_id")["class"]
    for flag, label in (("high", "pire_qu_attendu"), ("low", "meilleur_qu_attendu")):
        flagged = set(result.outliers(0.998, adjusted=True, side=flag)["unit"])
        assert flagged == set(classes[classes == label].index)
    assert result.overdispersion == "additive"


def test_json_from_the_command_line(demo_warehouse, stored):
    (_, result), _ = stored
    done = hospiscope(
        "funnel",
        "--indicator",
        CODE,
        "--campagne",
        CAMPAIGN,
        "--warehouse",
        demo_warehouse,
        "--json",
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["indicator"], record["period"], record["method_version"]) == (
        CODE,
        "2024",
        "1.0",
    )
    assert record["funnel"] == json.loads(json.dumps(result.to_dict()))
    assert any("hypothèse" in a for a in record["assumptions"])


def test_text_from_the_command_line_is_french(demo_warehouse):
    done = hospiscope(
        "funnel", "--indicator", CODE, "--campagne", CAMPAIGN, "-w", demo_warehouse, check_code=None
    )
    assert done.returncode == 0, done.stderr
    assert "Au-dessus de la limite à 99,8 %" in done.stdout and "Sur-dispersion" in done.stdout


@pytest.mark.parametrize(
    ("code", "campaign", "message"),
    [
        ("ESATIS48H_SCORE", 2024, "n'est pas un indicateur avec un diagramme en entonnoir"),
        ("ISO_PTH", 2019, "Pas de diagramme pour ISO_PTH, campagne 2019"),
        ("ISO_XYZ", 2024, "ISO_XYZ"),
    ],
)
def test_errors_of_use(demo_warehouse, code, campaign, message):
    done = hospiscope(
        "funnel", "--indicator", code, "--campagne", campaign, "-w", demo_warehouse, check_code=None
    )
    assert done.returncode == 1 and message in done.stderr


def test_regional_bilan_draws_its_establishments_against_national_limits(demo_warehouse):
    def chart(bilan):
        return next((f for s in bilan.sections for f in s.funnels if f.indicator == CODE), None)

    with Warehouse(demo_warehouse, read_only=True) as wh:
        national = build_bilan(wh.con, CAMPAIGN)
        # The region with the most establishments doing the procedure in the small demo.
        regional = next(
            bilan
            for region in ("11", "84", "76", "75", "44")
            if chart(bilan := build_bilan(wh.con, CAMPAIGN, region=region)) is not None
        )

    assert chart(regional).limits == chart(national).limits
    assert 0 < len(chart(regional).points) < len(chart(national).points)


def test_bilan_points_carry_their_position_at_95_and_99_8(demo_warehouse, stored):
    (_, result), _ = stored
    with Warehouse(demo_warehouse, read_only=True) as wh:
        bilan = build_bilan(wh.con, CAMPAIGN)
    chart = next(f for s in bilan.sections for f in s.funnels if f.indicator == CODE)
    flags = {p.entity: p.flag for p in chart.points}
    units = result.units.set_index("unit")
    for unit, row in units.iterrows():
        if row["high_998_adjusted"]:
            assert flags[unit] == "au-dessus 99,8 %"
        elif row["high_95_adjusted"]:
            assert flags[unit] == "au-dessus 95 %"
        elif not (row["low_95_adjusted"] or row["low_998_adjusted"]):
            assert flags[unit] is None
    assert chart.outliers_high == int(units["high_998_adjusted"].sum())
