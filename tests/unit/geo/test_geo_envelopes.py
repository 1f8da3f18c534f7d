"""Department envelopes: every department has one, overseas included; they are the extent of
the IGN outlines they were derived from and hold every real commune centroid."""

import csv
import json

import pytest

from hospiscope.geo import geography
from hospiscope.geo.envelopes import MARGIN, envelopes, position_problem

from support import SHARED_RAW

GEO = SHARED_RAW / "geo-france"


def test_every_department_has_an_envelope():
    assert set(geography().departments) <= set(envelopes())
    assert {"2A", "2B", "971", "972", "973", "974", "975", "976"} <= set(envelopes())
    parts = [box.part for box in envelopes()["971"]]
    assert parts == ["Guadeloupe", "Saint-Martin et Saint-Barthélemy"]


@pytest.mark.skipif(not GEO.exists(), reason="shared data not mounted")
def test_envelopes_are_the_extent_of_the_outlines():
    outlines = json.loads(
        (GEO / "france-geojson" / "departements-avec-outre-mer.geojson").read_text("utf-8")
    )
    for feature in outlines["features"]:
        points = list(_points(feature["geometry"]["coordinates"]))
        boxes = envelopes()[feature["properties"]["code"]]
        (box,) = [b for b in boxes if b.source.startswith("IGN")]
        assert box.lon_min == pytest.approx(min(p[0] for p in points), abs=1e-5)
        assert box.lat_max == pytest.approx(max(p[1] for p in points), abs=1e-5)


@pytest.mark.skipif(not GEO.exists(), reason="shared data not mounted")
def test_every_real_commune_centroid_is_in_its_department():
    path = GEO / "derived" / "communes-centroides-2018.csv"
    with path.open(encoding="utf-8") as handle:
        communes = list(csv.DictReader(handle))
    assert len(communes) > 35_000
    outside = [
        c["code_insee"]
        for c in communes
        if position_problem(float(c["lon"]), float(c["lat"]), c["departement"])
    ]
    assert outside == []


def test_impossible_positions():
    # X = 99 999 999 in Lambert-93 for a clinic of Toulouse.
    reason = position_problem(121.9726, -84.0101, "31")
    assert reason == (
        "position hors du département 31 (Haute-Garonne) : longitude 121,9726, latitude −84,0101"
    )
    assert position_problem(1.4399, 43.6254, "31") is None
    assert position_problem(-63.0822, 18.0704, "971") is None  # Saint-Martin, filed under 971
    assert position_problem(-56.1715, 46.7730, "975") is None  # Saint-Pierre
    assert position_problem(2.35, 48.85, "13") is not None  # Paris is not in Bouches-du-Rhône
    assert position_problem(2.35, 48.85, None) is None  # somewhere in France
    assert position_problem(121.97, -84.0, None).startswith("position hors du territoire")
    assert "non calculable" in position_problem(float("inf"), float("inf"), "31")


def test_margin_tolerates_a_border_address():
    box = envelopes()["25"][0]
    assert position_problem(box.lon_max + MARGIN / 2, box.lat_min, "25") is None
    assert position_problem(box.lon_max + 2 * MARGIN, box.lat_min, "25") is not None


def _points(coordinates):
    if isinstance(coordinates[0], (int, float)):
        yield coordinates
        return
    for part in coordinates:
        yield from _points(part)

