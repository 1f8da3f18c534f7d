"""Department envelopes: a bounding box (or a few) per department, in WGS84 degrees, to check
that a converted position lies in its department (`data/geo/department_envelopes.csv`, derived
from IGN outlines; see the file's header). A box is coarse on purpose: the check catches
impossible positions (a wrong projection, X = 99 999 999, the centre of France given as a
default), not a position a few hundred metres across a border."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Tolerance around each box, in degrees (≈ 5 km): a position geocoded on a border commune
# or on a coastal address may fall just outside the outline's extreme vertices.
MARGIN = 0.05


@dataclass(frozen=True)
class Box:
    department: str
    part: str
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float
    source: str  # where the box comes from (IGN outlines, EPSG area of use)

    def contains(self, longitude: float, latitude: float, margin: float = MARGIN) -> bool:
        return (
            self.lon_min - margin <= longitude <= self.lon_max + margin
            and self.lat_min - margin <= latitude <= self.lat_max + margin
        )


@cache
def envelopes() -> dict[str, tuple[Box, ...]]:
    """Boxes of every department (INSEE code), overseas included."""
    path = resources.files("hospiscope.data").joinpath("geo").joinpath("department_envelopes.csv")
    found: dict[str, list[Box]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter=";")
        for row in rows:
            box = Box(
                row["department"],
                row["part"],
                *(float(row[k]) for k in ("lon_min", "lat_min", "lon_max", "lat_max")),
                row["source"],
            )
            found.setdefault(box.department, []).append(box)
    return {department: tuple(boxes) for department, boxes in found.items()}


def position_problem(longitude: float, latitude: float, department: str | None) -> str | None:
    """Why a WGS84 position cannot be the position of an establishment of `department` (in
    French), or None when it can. Without a known department, the position must lie in some
    department of France."""
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        return "position non calculable (coordonnées hors du domaine de la projection)"
    where = f"longitude {_degrees(longitude)}, latitude {_degrees(latitude)}"
    boxes = envelopes().get(department or "")
    if boxes:
        if any(box.contains(longitude, latitude) for box in boxes):
            return None
        return f"position hors du département {department} ({boxes[0].part}) : {where}"
    if any(box.contains(longitude, latitude) for parts in envelopes().values() for box in parts):
        return None
    return f"position hors du territoire français : {where}"


def _degrees(value: float) -> str:
    return f"{value:.4f}".replace(".", ",").replace("-", "−")
