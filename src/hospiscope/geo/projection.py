"""Conversion of FINESS coordinates to WGS84 (longitude, latitude).

FINESS `geolocalisation` lines give x/y in Lambert-93 in metropolitan France and in a local
UTM projection overseas. The fifth field names the system: recent extracts write the EPSG
code ("…,EPSG:2154 RGF93 / Lambert-93 (Métropole)"), older ones a short name ("LAMBERT_93",
"UTM_N20"). pyproj carries the projection database offline; no grid file is needed for these
systems (all are RGF93/ITRF-based, identical to WGS84 at the metre level).
"""

from __future__ import annotations

import re
from functools import cache

from pyproj import Transformer

LEGACY_SYSTEMS = {
    "LAMBERT_93": 2154,  # RGF93 / Lambert-93
    "UTM_N20": 5490,  # RGAF09 / UTM 20N — Guadeloupe, Martinique
    "UTM_N21": 4467,  # RGSPM06 / UTM 21N — Saint-Pierre-et-Miquelon
    "UTM_N22": 2972,  # RGFG95 / UTM 22N — Guyane
    "UTM_S40": 2975,  # RGR92 / UTM 40S — La Réunion
    "UTM_S38": 4471,  # RGM04 / UTM 38S — Mayotte
}
_EPSG = re.compile(r"EPSG:(\d{4,5})")


class UnknownProjection(ValueError):
    """The source field names no coordinate system we know."""


def epsg_of_source(source: str) -> int:
    """EPSG code named by a FINESS geolocation source field."""
    match = _EPSG.search(source)
    if match:
        return int(match.group(1))
    for name, code in LEGACY_SYSTEMS.items():
        if name in source.upper():
            return code
    raise UnknownProjection(f"système de coordonnées inconnu : « {source} »")


@cache
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)


def to_wgs84(x: float, y: float, epsg: int) -> tuple[float, float]:
    """(longitude, latitude) in WGS84 of a point given in the system `epsg`."""
    longitude, latitude = _transformer(epsg).transform(x, y)
    return float(longitude), float(latitude)


def from_wgs84(longitude: float, latitude: float, epsg: int) -> tuple[float, float]:
    """(x, y) in the system `epsg` of a WGS84 point (used to write files in FINESS layout)."""
    transformer = Transformer.from_crs(4326, epsg, always_xy=True)
    x, y = transformer.transform(longitude, latitude)
    return float(x), float(y)
