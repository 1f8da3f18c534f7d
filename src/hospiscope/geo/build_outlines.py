"""Build the simplified outlines shipped in `hospiscope/data/geo/outlines-*.json`.

    python -m hospiscope.geo.build_outlines [--source DIR] [--output DIR]

Build time only: nothing at run time imports this module (`hospiscope.geo.outlines` reads
the JSON it writes). The source is the IGN Admin Express COG 2018 outlines published in
gregoiredavid/france-geojson (see `hospiscope/data/ATTRIBUTION.md`).

Metropolitan France is drawn in Lambert-93 (EPSG:2154, conformal). Each overseas department
is drawn in its own local UTM projection, scaled to fill an inset box in a column on the left,
as French statistical maps usually do (each inset has its own scale). The department map adds
a zoom on Paris and its petite couronne, which are a few pixels wide on the main map. Both
levels share one layout, so a position placed by `outlines.point()` fits either map.
The JSON records the sha256 of its sources and of this generator, and its parameters: a test
checks that the shipped files are up to date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from itertools import pairwise
from pathlib import Path

import numpy as np
from pyproj import Transformer

from hospiscope.geo import simplify
from hospiscope.geo.projection import LEGACY_SYSTEMS

# The shared raw data sit next to the repository (as for the tests: tests/support.py).
DEFAULT_SOURCE = (
    Path(__file__).resolve().parents[3].parent / "shared/data/raw/geo-france/france-geojson"
)
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "data" / "geo"
UPSTREAM = "gregoiredavid/france-geojson@5d34ee6d0140c29f785fdb047d9329f1aab58833"
SOURCES = {
    "region": "regions-avec-outre-mer.geojson",
    "departement": "departements-avec-outre-mer.geojson",
}
GENERATOR = ("build_outlines.py", "simplify.py")

METRO_EPSG = LEGACY_SYSTEMS["LAMBERT_93"]
# Insets, top to bottom: department, region, label, local conformal projection (the UTM
# zones FINESS uses overseas).
OVERSEAS = (
    ("971", "01", "Guadeloupe", LEGACY_SYSTEMS["UTM_N20"]),
    ("972", "02", "Martinique", LEGACY_SYSTEMS["UTM_N20"]),
    ("973", "03", "Guyane", LEGACY_SYSTEMS["UTM_N22"]),
    ("974", "04", "La Réunion", LEGACY_SYSTEMS["UTM_S40"]),
    ("976", "06", "Mayotte", LEGACY_SYSTEMS["UTM_S38"]),
)
FRAME_IDS = tuple(o[0] for o in OVERSEAS)
ZOOM_LABEL = "Paris et petite couronne"
ZOOM_DEPARTMENTS = ("75", "77", "78", "91", "92", "93", "94", "95")

PARAMETERS = {
    "width": 1000,  # drawing units (the viewBox); the height follows metropolitan France
    "margin": 8,
    "inset_width": 150,
    "inset_gap": 10,  # between two insets, and between the insets and the main map
    "inset_label_height": 16,  # room for the label at the top of each inset
    "inset_padding": 5,
    "tolerance": 0.6,  # Douglas–Peucker, in drawing units, before rounding to integers
    "min_area": 1.5,  # islands and holes smaller than this (square units) are dropped
    "lonlat_margin": 0.05,  # degrees around each territory where point() still places
    # The zoom: a 40 km square around the petite couronne (75, 92, 93, 94: 34 km × 36 km),
    # in Lambert-93 metres, drawn in the top left-hand corner of the main map (the Channel).
    "zoom_centre": [654500, 6861250],
    "zoom_half_size": 20000,
    "zoom_size": 156,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    features = {level: load_features(args.source / name) for level, name in SOURCES.items()}
    frames, height = layout(features["departement"])
    build = build_record(args.source)
    for level, areas in features.items():
        drawing = draw_level(level, areas, frames, height, build)
        path = args.output / f"outlines-{level}s.json"
        path.write_text(to_json(drawing), encoding="utf-8")
        size = path.stat().st_size
        print(f"{path}: {len(drawing['areas'])} zones, {size} octets")


def load_features(path: Path) -> dict[str, tuple[str, list[simplify.Polygon]]]:
    """code → (name, polygons of rings of (lon, lat) vertices) from a GeoJSON file."""
    found = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [[[tuple(vertex) for vertex in ring] for ring in polygon] for polygon in polygons]
        found[feature["properties"]["code"]] = (feature["properties"]["nom"], rings)
    return found


def frame_of(level: str, code: str) -> str:
    """The frame drawing an area: "metropole", or the overseas department's code (the
    codes of overseas regions, 01–06, are also codes of metropolitan departments)."""
    column = 0 if level == "departement" else 1
    return next((o[0] for o in OVERSEAS if o[column] == code), "metropole")


def layout(departments: dict) -> tuple[dict[str, dict], int]:
    """Where each territory goes: its projection, the affine map from projected metres to
    drawing units (x = scale·E + dx, y = −scale·N + dy), its inset box; and the height."""
    p = PARAMETERS
    extents = {name: _extent(name, departments) for name in ["metropole", *FRAME_IDS]}
    e_min, n_min, e_max, n_max = extents["metropole"]
    left = p["margin"] + p["inset_width"] + p["inset_gap"]
    scale = (p["width"] - p["margin"] - left) / (e_max - e_min)
    height = math.ceil(2 * p["margin"] + (n_max - n_min) * scale)
    metro = _frame("metropole", "France métropolitaine", METRO_EPSG, scale, None)
    metro |= {"dx": left - scale * e_min, "dy": p["margin"] + scale * n_max}
    frames = {"metropole": metro}
    box_height = (height - 2 * p["margin"] - (len(OVERSEAS) - 1) * p["inset_gap"]) / len(OVERSEAS)
    for i, (department, _, label, epsg) in enumerate(OVERSEAS):
        top = p["margin"] + i * (box_height + p["inset_gap"])
        box = [p["margin"], top, p["inset_width"], box_height]
        frames[department] = _inset(department, label, epsg, box, extents[department])
    for name, frame in frames.items():
        frame["lonlat"] = _lonlat_extent(name, departments)
    return frames, height


def draw_level(level: str, features: dict, frames: dict, height: int, build: dict) -> dict:
    """The drawing of one level: frames, areas as SVG paths, the zoom (departments only)."""
    coords = {}
    for code, (_, polygons) in features.items():
        coords |= _project(polygons, frames[frame_of(level, code)])
    areas = {code: polygons for code, (_, polygons) in features.items()}
    simplified = simplify.simplify_polygons(areas, coords, PARAMETERS["tolerance"])
    zoom = draw_zoom(features, frames["metropole"]) if level == "departement" else None
    if zoom:
        _check_empty(zoom["box"], coords.values())
    return {
        "format": 1,
        "level": level,
        "viewBox": [0, 0, PARAMETERS["width"], height],
        "build": build,
        "frames": list(frames.values()),
        "zoom": zoom,
        "areas": {
            code: {"nom": features[code][0], "path": to_path(_finish(simplified[code]))}
            for code in sorted(features)
        },
    }


def draw_zoom(features: dict, metro: dict) -> dict:
    """Paris and its neighbours at a larger scale, clipped to a square box."""
    p = PARAMETERS
    (ce, cn), half, size = p["zoom_centre"], p["zoom_half_size"], p["zoom_size"]
    scale = size / (2 * half)
    box = [p["margin"] + p["inset_width"] + p["inset_gap"], p["margin"], size, size]
    zoom = {"dx": box[0] - scale * (ce - half), "dy": box[1] + scale * (cn + half)}
    zoom |= {"epsg": METRO_EPSG, "scale": scale}
    areas = {code: features[code][1] for code in ZOOM_DEPARTMENTS}
    coords = {}
    for polygons in areas.values():
        coords |= _project(polygons, zoom)
    simplified = simplify.simplify_polygons(areas, coords, p["tolerance"])
    clip = (box[0], box[1], box[0] + size, box[1] + size)
    paths = {}
    for code in ZOOM_DEPARTMENTS:
        polygons = [[simplify.clip_ring(r, clip) for r in polygon] for polygon in simplified[code]]
        paths[code] = to_path(_finish([[r for r in p if r] for p in polygons if p[0]]))
    x0 = metro["scale"] * (ce - half) + metro["dx"]
    y0 = -metro["scale"] * (cn + half) + metro["dy"]
    side = 2 * half * metro["scale"]
    source = [round(x0, 2), round(y0, 2), round(side, 2), round(side, 2)]
    return {"nom": ZOOM_LABEL, "box": box, "source": source, "areas": paths}


def _check_empty(box: list[float], points) -> None:
    """The zoom must not hide any part of France (a change of parameters could move it)."""
    x0, y0, x1, y1 = box[0] - 2, box[1] - 2, box[0] + box[2] + 2, box[1] + box[3] + 2
    if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points):
        raise SystemExit(f"le zoom {box} recouvre une partie de la carte : changer ses paramètres")


def to_path(polygons: list[list[list[tuple[int, int]]]]) -> str:
    """SVG path data: each ring as an absolute move then relative lines ("M12 40l3-2 …z")."""
    parts = []
    for ring in (ring for polygon in polygons for ring in polygon):
        steps = [f"M{ring[0][0]} {ring[0][1]}l"]
        for (x0, y0), (x1, y1) in pairwise(ring[:-1]):  # "z" draws the last side
            steps.append(_number(x1 - x0, steps[-1]) + _number(y1 - y0, " "))
        parts.append("".join(steps) + "z")
    return "".join(parts)


def to_json(drawing: dict) -> str:
    """Compact JSON, one area per line (readable diffs)."""
    head = {k: v for k, v in drawing.items() if k != "areas"}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"areas":{']
    items = [
        json.dumps(code) + ":" + json.dumps(a, ensure_ascii=False, separators=(",", ":"))
        for code, a in drawing["areas"].items()
    ]
    return "\n".join([*lines, ",\n".join(items), "}}"]) + "\n"


def build_record(source: Path) -> dict:
    """What the files were built from: sources, generator and parameters, with digests."""
    here = Path(__file__).resolve().parent
    return {
        "upstream": UPSTREAM,
        "sources": {name: sha256(source / name) for name in SOURCES.values()},
        "generator": {name: sha256(here / name) for name in GENERATOR},
        "parameters": PARAMETERS,
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _finish(polygons: list[list[list[simplify.Point]]]) -> list[list[list[tuple[int, int]]]]:
    """Rings rounded to integers; islands and holes too small to see are dropped (but an
    area always keeps its largest polygon)."""
    kept, largest = [], (-1.0, [])
    for polygon in polygons:
        outer, *holes = [_rounded(ring) for ring in polygon]
        if simplify.ring_area(outer) > largest[0]:
            largest = (simplify.ring_area(outer), [outer])
        if _visible(outer):
            kept.append([outer] + [hole for hole in holes if _visible(hole)])
    return kept or ([largest[1]] if largest[1] else [])


def _visible(ring: list[tuple[int, int]]) -> bool:
    return len(ring) >= 4 and simplify.ring_area(ring) >= PARAMETERS["min_area"]


def _rounded(ring: list[simplify.Point]) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    return points


def _number(value: int, before: str) -> str:
    # A minus sign separates two numbers in path data; a space is needed otherwise.
    return str(value) if value < 0 or before.endswith("l") else f" {value}"


def _frame(name: str, label: str, epsg: int, scale: float, box: list | None) -> dict:
    region = next((o[1] for o in OVERSEAS if o[0] == name), None)
    return {"id": name, "nom": label, "region": region, "epsg": epsg, "scale": scale, "box": box}


def _inset(name: str, label: str, epsg: int, box: list, extent: tuple) -> dict:
    p = PARAMETERS
    e_min, n_min, e_max, n_max = extent
    width = box[2] - 2 * p["inset_padding"]
    height = box[3] - p["inset_label_height"] - p["inset_padding"]
    scale = min(width / (e_max - e_min), height / (n_max - n_min))
    left = box[0] + p["inset_padding"] + (width - scale * (e_max - e_min)) / 2
    top = box[1] + p["inset_label_height"] + (height - scale * (n_max - n_min)) / 2
    frame = _frame(name, label, epsg, scale, [round(v, 2) for v in box])
    return frame | {"dx": left - scale * e_min, "dy": top + scale * n_max}


def _vertices(name: str, departments: dict) -> np.ndarray:
    return np.array(
        [
            vertex
            for code, (_, polygons) in departments.items()
            if frame_of("departement", code) == name
            for polygon in polygons
            for vertex in polygon[0]
        ]
    )


def _extent(name: str, departments: dict) -> tuple[float, float, float, float]:
    lonlat = _vertices(name, departments)
    epsg = METRO_EPSG if name == "metropole" else next(o[3] for o in OVERSEAS if o[0] == name)
    e, n = Transformer.from_crs(4326, epsg, always_xy=True).transform(lonlat[:, 0], lonlat[:, 1])
    return float(e.min()), float(n.min()), float(e.max()), float(n.max())


def _lonlat_extent(name: str, departments: dict) -> list[float]:
    lonlat, margin = _vertices(name, departments), PARAMETERS["lonlat_margin"]
    low, high = lonlat.min(axis=0) - margin, lonlat.max(axis=0) + margin
    return [round(float(v), 3) for v in (*low, *high)]


def _project(polygons: list[simplify.Polygon], frame: dict) -> dict:
    """Drawing coordinates of every vertex of `polygons` in `frame`."""
    keys = list({v for polygon in polygons for ring in polygon for v in ring})
    lonlat = np.array(keys)
    transformer = Transformer.from_crs(4326, frame["epsg"], always_xy=True)
    e, n = transformer.transform(lonlat[:, 0], lonlat[:, 1])
    x, y = frame["scale"] * e + frame["dx"], -frame["scale"] * n + frame["dy"]
    return dict(zip(keys, zip(x.tolist(), y.tolist(), strict=True), strict=True))


if __name__ == "__main__":
    main()
