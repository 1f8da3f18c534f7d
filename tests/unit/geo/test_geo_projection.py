"""FINESS coordinates (Lambert-93 / local UTM) → WGS84."""

import pytest

from hospiscope.geo.projection import UnknownProjection, epsg_of_source, from_wgs84, to_wgs84


@pytest.mark.parametrize(
    ("source", "epsg"),
    [
        ("1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole)", 2154),
        ("2,ATLASANTE,96,BAN,EPSG:5490 RGAF09/UTM Zone 20N (Antilles)", 5490),
        ("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93", 2154),
        ("UTM_N22", 2972),
        ("UTM_S40", 2975),
        ("UTM_S38", 4471),
    ],
)
def test_epsg_of_source(source, epsg):
    assert epsg_of_source(source) == epsg


def test_unknown_system_is_refused():
    with pytest.raises(UnknownProjection, match="inconnu"):
        epsg_of_source("1,ATLASANTE,96,BAN,GAUSS_LABORDE")


def test_lambert93_point_of_a_real_establishment():
    # CH de Fleyriat (010000024): etalab Lambert-93 coordinates, GISCO WGS84 position.
    longitude, latitude = to_wgs84(870262.2, 6571540.8, 2154)
    assert longitude == pytest.approx(5.20879, abs=2e-3)
    assert latitude == pytest.approx(46.2222, abs=2e-3)


@pytest.mark.parametrize(
    ("epsg", "point"),
    [
        (5490, (-61.53, 16.24)),
        (2972, (-52.33, 4.93)),
        (2975, (55.45, -20.88)),
        (4471, (45.23, -12.78)),
        (2154, (9.0, 42.2)),
    ],
)
def test_round_trip(epsg, point):
    x, y = from_wgs84(*point, epsg)
    assert to_wgs84(x, y, epsg) == pytest.approx(point, abs=1e-7)
