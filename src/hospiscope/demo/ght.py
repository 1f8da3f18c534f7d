"""A supposed composition of the GHT for the demo, until a real list is imported (hypothèse
hospiscope: the official composition is not in our sources).

Rule: the public establishments of the registry (legal status `public`) of a department form
one GHT, whose support is the largest of them by beds (all activities, the demo capacities;
ties: the smallest FINESS number). A small department (fewer than `SMALL_BEDS` public beds)
is paired with the nearest other small department of its region, if one lies within
`PAIR_DISTANCE_KM` (distance between the centres of their communes); overseas departments are
never paired. Members are written as ETs (the bundled registry has no EJ numbers), in the
real layout (sources/ght.py), then imported with origin `hypothese_demo`, whose French label
says that the composition is hospiscope's assumption.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.demo.calibration import assumed
from hospiscope.geo.codes import department_from_finess_number
from hospiscope.geo.places import all_places, distance_km
from hospiscope.geo.reference import geography
from hospiscope.sources.ght import HEADER

FILE_NAME = "ght-composition-hypothese-demo.csv"
SMALL_BEDS = assumed(1000, "lits publics sous lesquels un département est regroupé avec un voisin")
PAIR_DISTANCE_KM = assumed(
    150, "distance maximale entre les centres de deux départements regroupés"
)
# Overseas collectivities with FINESS numbers but outside the COG's departments.
_OTHER_NAMES = {"975": "Saint-Pierre-et-Miquelon"}
_BEDS = ("beds_mco", "beds_smr", "beds_psy", "beds_sld")


def public_establishments(registry: pl.DataFrame, capacity: pl.DataFrame) -> pl.DataFrame:
    """finess_et, department, beds of every public establishment of the registry."""
    beds = capacity.select(
        "finess_et", beds=pl.sum_horizontal(pl.col(c).fill_null(0) for c in _BEDS)
    )
    public = registry.filter(pl.col("legal_status") == "public").select("finess_et")
    return (
        public.with_columns(
            department=pl.col("finess_et").map_elements(
                department_from_finess_number, return_dtype=pl.String
            )
        )
        .filter(pl.col("department").is_not_null())
        .join(beds, on="finess_et", how="left")
        .with_columns(pl.col("beds").fill_null(0))
        .sort("finess_et")
    )


def department_groups(beds_by_department: dict[str, int]) -> list[tuple[str, ...]]:
    """The departments of each GHT: one, or two small neighbours (smallest first)."""
    geo = geography()
    small = sorted(
        (d for d, beds in beds_by_department.items() if beds < SMALL_BEDS.value),
        key=lambda d: (beds_by_department[d], d),
    )
    paired: dict[str, str] = {}
    for department in small:
        if department in paired or department.startswith("97"):
            continue
        region = geo.region_of_department(department)
        near = [
            (distance, other)
            for other in small
            if other != department
            and other not in paired
            and not other.startswith("97")
            and geo.region_of_department(other) == region
            and (distance := _distance(department, other)) <= PAIR_DISTANCE_KM.value
        ]
        if near:
            other = min(near)[1]
            paired[department], paired[other] = other, department
    groups = {tuple(sorted((d, paired[d]) if d in paired else (d,))) for d in beds_by_department}
    return sorted(groups)


def build_composition(registry: pl.DataFrame, capacity: pl.DataFrame) -> list[dict[str, str]]:
    """The rows of the composition file (HEADER columns), GHT by GHT."""
    public = public_establishments(registry, capacity)
    totals = dict(public.group_by("department").agg(pl.col("beds").sum()).iter_rows())
    names = _OTHER_NAMES | {code: d.name for code, d in geography().departments.items()}
    rows = []
    for departments in department_groups(totals):
        members = public.filter(pl.col("department").is_in(departments))
        support = members.sort(["beds", "finess_et"], descending=[True, False])["finess_et"][0]
        code = "DEMO-" + "-".join(departments)
        name = "GHT supposé " + " et ".join(names.get(d, d) for d in departments)
        rows += [
            {
                "code_ght": code,
                "nom_ght": name,
                "finess_support": support,
                "finess_membre": member,
                "type_finess_membre": "ET",
            }
            for member in members["finess_et"]
        ]
    return rows


def write_ght(registry: pl.DataFrame, capacity: pl.DataFrame, path: Path) -> Path:
    """Write the supposed composition in the GHT layout (`;`, UTF-8 with BOM, CRLF)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(build_composition(registry, capacity))
    return path


def _distance(first: str, second: str) -> float:
    centres = _centres()
    if first not in centres or second not in centres:
        return float("inf")  # a department without communes is never paired
    (lon1, lat1), (lon2, lat2) = centres[first], centres[second]
    return float(distance_km(lon1, lat1, lon2, lat2))


@cache
def _centres() -> dict[str, tuple[float, float]]:
    """Mean position of the communes of each department."""
    points: dict[str, list[tuple[float, float]]] = {}
    for place in all_places().values():
        points.setdefault(place.department_code, []).append((place.lon, place.lat))
    return {d: tuple(np.mean(p, axis=0).tolist()) for d, p in points.items()}
