"""Places for "near a place" searches: the communes of the COG 2026 with a centroid, found by
name or INSEE code, and the great-circle distance between two points.

Centroids are those of the COG 2018 communes (`data/geo/communes-centroides-2018.csv`): a
commune that absorbed others since then keeps the centroid of its 2018 self (the centre of
its main former commune, where its town is); a commune whose code did not exist in 2018 (a
merger that took a new code) gets the mean of the 2018 centroids of the communes merged
into it (its delegated communes). Communes restored after 2018 have neither and are left
out (7 of the 34 875 communes). Paris, Lyon and Marseille are one place each; their
arrondissement codes find the city. Populations (`communes-populations.csv`) rank communes
of the same name.

The index is built once per process (0.5–1 s on 2 shared cores). A name search scans one
string holding every name in decreasing order of population, so the first hits are the
largest communes and a search stops after `limit` of them (about 1 ms at worst).
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from hospiscope.geo.reference import normalise_place_name

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
MIN_QUERY_LENGTH = 2  # letters; one letter matches a third of France
_INSEE_CODE = re.compile(r"(?:\d\d|2[AB])\d{3}")


@dataclass(frozen=True, slots=True)
class Place:
    code_insee: str
    name: str
    department_code: str
    lon: float
    lat: float
    population: int | None  # population municipale; None for Mayotte (not in the source)


@dataclass(frozen=True)
class _Index:
    places: dict[str, Place]  # by INSEE code
    aliases: dict[str, str]  # former, delegated and arrondissement codes → current code
    exact: dict[str, tuple[Place, ...]]  # normalised name → places, largest first
    names: str  # "\n" + every normalised name, largest commune first, each + "\n"
    starts: list[int]  # where each name begins in `names`
    owners: list[Place]  # the place of each name


def find_places(query: str, limit: int = 10) -> list[Place]:
    """Communes matching `query`, at most `limit`: a 5-character INSEE code ("42218", "2A004")
    finds its commune; a name is compared without accents, case, hyphens or apostrophes
    ("st etienne" finds Saint-Étienne). Exact names come first, then names beginning with
    the query, then names with a word beginning with it, then names containing it; within
    each, the most populous first. Fewer than two letters find nothing."""
    query = query.strip()
    if limit <= 0:
        return []
    index = _index()
    if _INSEE_CODE.fullmatch(query.upper()):
        code = index.aliases.get(query.upper(), query.upper())
        return [index.places[code]] if code in index.places else []
    key = normalise_place_name(query)
    if len(key.replace(" ", "")) < MIN_QUERY_LENGTH:
        return []
    found = {place.code_insee: place for place in index.exact.get(key, ())[:limit]}
    for needle in ("\n" + key, " " + key, key):
        if len(found) >= limit:
            break
        _collect(index, needle, found, limit)
    return list(found.values())


def distance_km(lon1, lat1, lon2, lat2):
    """Great-circle (haversine) distance in km between WGS84 points, in degrees; numpy
    arrays give an array of distances."""
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(distance) if distance.ndim == 0 else distance


def all_places() -> dict[str, Place]:
    """Every place, by INSEE code."""
    return _index().places


def _collect(index: _Index, needle: str, found: dict[str, Place], limit: int) -> None:
    """Add the places whose name contains `needle`, in the order of `names`, up to `limit`."""
    position = index.names.find(needle)
    while position >= 0 and len(found) < limit:
        # A needle starting with "\n" matches at the end of the previous name.
        number = bisect.bisect_right(index.starts, position + needle.startswith("\n")) - 1
        place = index.owners[number]
        found.setdefault(place.code_insee, place)
        following = index.starts[number + 1] - 1 if number + 1 < len(index.starts) else -1
        position = index.names.find(needle, following) if following >= 0 else -1


def _rows(filename: str) -> list[dict[str, str]]:
    path = resources.files("hospiscope.data").joinpath("geo").joinpath(filename)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines))


@cache
def _index() -> _Index:
    communes = _rows("communes.csv")
    centroids = {
        r["code_insee"]: (float(r["lon"]), float(r["lat"]))
        for r in _rows("communes-centroides-2018.csv")
    }
    populations = {r["code_insee"]: int(r["population"]) for r in _rows("communes-populations.csv")}
    current = [r for r in communes if r["TYPECOM"] == "COM"]
    current_codes = {r["COM"] for r in current}
    aliases = {
        r["COM"]: r["COMPARENT"]
        for r in communes
        if r["TYPECOM"] != "COM" and r["COM"] not in current_codes and r["COMPARENT"]
    }
    merged: dict[str, list[tuple[float, float]]] = {}
    for row in communes:
        if row["TYPECOM"] in ("COMD", "COMA") and row["COM"] in centroids:
            merged.setdefault(row["COMPARENT"], []).append(centroids[row["COM"]])
    places = {}
    for row in current:
        point = centroids.get(row["COM"]) or _mean(merged.get(row["COM"], []))
        if point is not None:
            code = row["COM"]
            places[code] = Place(code, row["LIBELLE"], row["DEP"], *point, populations.get(code))
    return _searchable(places, current, aliases)


def _mean(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return (
        round(sum(p[0] for p in points) / len(points), 4),
        round(sum(p[1] for p in points) / len(points), 4),
    )


def _name_keys(row: dict[str, str]) -> set[str]:
    """The name with its article ("LE HAVRE") and without it ("HAVRE"); most names have
    none (normalising costs about 10 µs a name)."""
    keys = {normalise_place_name(row["LIBELLE"])}
    if row["NCCENR"] != row["LIBELLE"]:
        keys.add(normalise_place_name(row["NCCENR"]))
    return keys


def _searchable(
    places: dict[str, Place], rows: list[dict[str, str]], aliases: dict[str, str]
) -> _Index:
    keyed: list[tuple[str, Place]] = []
    for row in rows:
        place = places.get(row["COM"])
        if place is not None:
            keyed.extend((key, place) for key in _name_keys(row))
    keyed.sort(key=lambda item: (-(item[1].population or 0), item[1].name, item[0]))
    exact: dict[str, list[Place]] = {}
    starts, position = [], 1
    for key, place in keyed:
        exact.setdefault(key, []).append(place)
        starts.append(position)
        position += len(key) + 1
    names = "\n" + "".join(key + "\n" for key, _ in keyed)
    return _Index(
        places=places,
        aliases=aliases,
        exact={key: tuple(found) for key, found in exact.items()},
        names=names,
        starts=starts,
        owners=[place for _, place in keyed],
    )
