"""The establishment search, in memory: every row of `portal_establishments` (a few thousand,
even at national scale) held in Python lists and NumPy arrays, built once per state of the
warehouse (web/store.py, `prepared`). A type-ahead suggestion then costs a scan of a few
thousand short strings — well under a millisecond — instead of a SQL query.

The rule (what matches, in which order) is registry.search's documented rule: every term of
the text must appear in the name, commune, postcode, FINESS number or category (a postcode or
INSEE code, and a FINESS number, match exactly); a query that is a department's code or name
lists that department; establishments of a commune of that name come first, then names
starting with the text, then by name — or by distance from a position."""

from __future__ import annotations

import functools
import heapq
import math
import re
import unicodedata
from dataclasses import dataclass, replace

import numpy as np

from hospiscope.geo.reference import geography

SEARCH_MAX_TERMS = 8
EARTH_RADIUS_KM = 6371.0
GRAM = 3  # terms of 3 characters or more are looked up by their pieces of 3 (trigrams)
_NONE: frozenset[int] = frozenset()
# Columns used to search and sort, not shown.
KEYS = ("search_text", "city_key", "name_key")


@dataclass(frozen=True)
class Filters:
    """What a search may be narrowed to (all optional)."""

    department: str | None = None
    region: str | None = None
    category_group: str | None = None
    legal_status: str | None = None
    activity: str | None = None
    decision: str | None = None


_FILTER_COLUMNS = {
    "department": "department_code",
    "region": "region_code",
    "category_group": "category_group_code",
    "legal_status": "legal_status",
    "decision": "decision",
}


class SearchIndex:
    def __init__(self, rows: list[dict], *, trigrams: bool = True):
        """`rows`: the rows of portal_establishments (with their search keys); `trigrams`:
        index the pieces of 3 characters (~0.5 s for a national registry; without them every
        search scans every text, ~0.6 ms)."""
        # Sorted by name then FINESS once: a match list in this order needs no other sort.
        rows = sorted(rows, key=lambda r: (r["name"] is None, r["name"] or "", r["finess_et"]))
        self.rows = [{k: v for k, v in r.items() if k not in KEYS} for r in rows]
        self.texts = [r["search_text"] or "" for r in rows]
        self.city_keys = [r["city_key"] or "" for r in rows]
        self.name_keys = [r["name_key"] or "" for r in rows]
        self.by_finess = {r["finess_et"]: i for i, r in enumerate(self.rows)}
        self.columns = {
            column: [r[column] for r in self.rows] for column in _FILTER_COLUMNS.values()
        }
        for column in ("postcode", "commune_code", "finess_et", "finess_ej"):
            self.columns[column] = [r[column] for r in self.rows]
        self.grams = _grams(self.texts) if trigrams else None
        self.longitude = np.array([_float(r["longitude"]) for r in self.rows])
        self.latitude = np.array([_float(r["latitude"]) for r in self.rows])

    def establishment(self, finess: str) -> dict | None:
        i = self.by_finess.get(finess)
        return None if i is None else dict(self.rows[i])

    def establishments(self, numbers: list[str]) -> list[dict]:
        """The establishments of `numbers`, in that order (unknown numbers are left out)."""
        return [dict(self.rows[self.by_finess[n]]) for n in numbers if n in self.by_finess]

    def search(
        self,
        text: str,
        filters: Filters,
        *,
        near: tuple[float, float] | None = None,
        radius_km: float | None = None,
        limit: int = 20,
        offset: int = 0,
        count: bool = True,
    ) -> tuple[int | None, list[dict]]:
        """(number of matches, one page of them), as registry.search documents; `near`:
        (longitude, latitude); `count=False` for the type-ahead (None instead of a count)."""
        query = normalised(text)
        terms = query.split()[:SEARCH_MAX_TERMS]
        department = department_named(query)
        if department is not None:  # "Ain", "01", "Côtes-d'Armor": its establishments
            terms, filters = [], replace(filters, department=department)
        matches = self._matching(terms, filters)
        distances = None
        if near is not None:
            distances = self._distances(*near)
            if radius_km is not None:
                matches = [i for i in matches if distances[i] <= radius_km]
        ordered = self._ordered(matches, query, distances, limit + offset)
        page = []
        for i in ordered[offset : offset + limit]:
            row = dict(self.rows[i])
            distance = math.nan if distances is None else float(distances[i])
            row["distance_km"] = None if math.isnan(distance) else distance
            page.append(row)
        return (len(matches) if count else None), page

    def _matching(self, terms: list[str], filters: Filters) -> list[int]:
        candidates: list[int] | None = None  # None: every establishment
        for term in terms:
            candidates = self._with_term(candidates, term)
        if candidates is None:
            candidates = list(range(len(self.rows)))
        for name, column in _FILTER_COLUMNS.items():
            value = getattr(filters, name)
            if value:
                values = self.columns[column]
                candidates = [i for i in candidates if values[i] == value]
        if filters.activity:
            candidates = [
                i for i in candidates if filters.activity in (self.rows[i]["activities"] or ())
            ]
        return candidates

    def _with_term(self, candidates: list[int] | None, term: str) -> list[int]:
        """A postcode or INSEE commune code (5 digits) and a FINESS number (9 characters) are
        matched exactly; any other term anywhere in the searched text."""
        if re.fullmatch(r"[0-9]{5}", term):
            postcodes, communes = self.columns["postcode"], self.columns["commune_code"]
            return [i for i in _all(candidates, self) if term in (postcodes[i], communes[i])]
        if re.fullmatch(r"[0-9][0-9ab][0-9]{7}", term):
            number = term.upper()
            et, ej = self.columns["finess_et"], self.columns["finess_ej"]
            return [i for i in _all(candidates, self) if number in (et[i], ej[i])]
        texts = self.texts
        if self.grams is not None and len(term) >= GRAM:
            # Only texts holding every piece of the term can hold it.
            pieces = sorted(
                (self.grams.get(term[k : k + GRAM], _NONE) for k in range(len(term) - GRAM + 1)),
                key=len,
            )
            holding = pieces[0].intersection(*pieces[1:])
            if candidates is None:
                candidates = sorted(holding)
            else:
                candidates = [i for i in candidates if i in holding]
        return [i for i in _all(candidates, self) if term in texts[i]]

    def _ordered(self, matches: list[int], query: str, distances, wanted: int) -> list[int]:
        """The first `wanted` matches: by distance (then name) near a position; otherwise
        communes of that name first, then names starting with the text, then by name (the
        index order)."""
        if distances is not None:
            # Unknown positions last (NaN would not sort).
            return heapq.nsmallest(
                wanted, matches, key=lambda i: (math.isnan(distances[i]), distances[i], i)
            )
        cities, names = self.city_keys, self.name_keys
        return heapq.nsmallest(
            wanted,
            matches,
            key=lambda i: (not cities[i].startswith(query), not names[i].startswith(query), i),
        )

    def _distances(self, longitude: float, latitude: float) -> np.ndarray:
        """Great-circle distance in km from a position (haversine); NaN where unknown."""
        lat0, lon0 = np.radians(latitude), np.radians(longitude)
        lat, lon = np.radians(self.latitude), np.radians(self.longitude)
        a = np.sin((lat - lat0) / 2) ** 2 + (
            np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def normalised(text: str) -> str:
    """Lower case, without accents, punctuation turned into spaces: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def department_named(query: str) -> str | None:
    """The department whose code or name is the whole (normalised) query, if any."""
    return _department_names().get(query) if query else None


@functools.cache
def _department_names() -> dict[str, str]:
    """Normalised code and name of every department → its code."""
    names = {}
    for department in geography().departments.values():
        names.setdefault(department.code.lower(), department.code)
        names.setdefault(normalised(department.name), department.code)
    return names


def _grams(texts: list[str]) -> dict[str, frozenset[int]]:
    """Every piece of GRAM characters of the texts → the texts holding it (by position)."""
    holding: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        for piece in {text[k : k + GRAM] for k in range(len(text) - GRAM + 1)}:
            holding.setdefault(piece, set()).add(i)
    return {piece: frozenset(found) for piece, found in holding.items()}


def _all(candidates: list[int] | None, index: SearchIndex):
    return range(len(index.rows)) if candidates is None else candidates


def _float(value) -> float:
    return float("nan") if value is None else float(value)
