"""INSEE Code officiel géographique (COG): regions, departments, communes.

The files are copied from INSEE's COG 2026 (Licence Ouverte) as published by Etalab's
`decoupage-administratif` (see `hospiscope/data/ATTRIBUTION.md`). They are loaded once per
process and cached (about 37 000 rows, a fraction of a second).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

# Municipal districts of Paris, Lyon and Marseille: postcode → INSEE district code.
_DISTRICT_CITIES = {
    "75": ("PARIS", "75", "751"),
    "69": ("LYON", "6900", "6938"),
    "13": ("MARSEILLE", "130", "132"),
}


_TRUNCATED_NAME_LENGTH = 20


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    department_code: str
    region_code: str


@dataclass
class Geography:
    regions: dict[str, Region]
    departments: dict[str, Department]
    communes: dict[str, Commune]
    # Former (delegated / associated) commune codes → the current commune they belong to.
    former_codes: dict[str, str] = field(default_factory=dict)
    # (department, normalised name) → current commune codes carrying that name.
    names: dict[tuple[str, str], set[str]] = field(default_factory=dict, repr=False)

    def region_of_department(self, department_code: str | None) -> str | None:
        department = self.departments.get(department_code or "")
        return department.region_code if department else None

    def resolve_code(self, code: str) -> str | None:
        """The current INSEE code for a commune code (merged communes resolve to the new one)."""
        if code in self.communes:
            return code
        return self.former_codes.get(code)

    def find_commune(self, department_code: str, name: str, postcode: str = "") -> str | None:
        """INSEE code of the commune called `name` in a department, or None if unknown or
        ambiguous. Names of merged communes resolve to the commune they now belong to; in
        Paris, Lyon and Marseille the postcode selects the municipal district."""
        normalised = normalise_place_name(strip_cedex(name))
        district = _district_from_postcode(department_code, normalised, postcode)
        if district in self.communes:
            return district
        codes = self.names.get((department_code, normalised), set())
        if not codes:
            codes = self._prefix_matches(department_code, normalised)
        return next(iter(codes)) if len(codes) == 1 else None

    def _prefix_matches(self, department_code: str, prefix: str) -> set[str]:
        """Communes whose name begins with `prefix`. Postal routing names are often the start
        of the commune's name ("LA TESTE" for La Teste-de-Buch) or cut at 26 characters
        ("CHATEAU GONTIER SUR MAYENN"); the caller accepts a unique match only."""
        truncated = len(prefix) >= _TRUNCATED_NAME_LENGTH
        return {
            code
            for (department, name), codes in self.names.items()
            if department == department_code
            and (name.startswith(prefix + " ") or (truncated and name.startswith(prefix)))
            for code in codes
        }


def strip_cedex(name: str) -> str:
    """'BOURG EN BRESSE CEDEX 02' → 'BOURG EN BRESSE'; 'ANGERS 01' → 'ANGERS' (a routing
    number left after CEDEX was removed upstream)."""
    # "CED", "CEDE": CEDEX cut by the 26-character routing line.
    name = re.sub(r"\s+CED(E|EX)?(\s+\d+)?\s*$", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"\s+\d{1,2}\s*$", "", name)


def normalise_place_name(name: str) -> str:
    """Upper-case, unaccented, punctuation-free place name: 'St-Étienne' → 'SAINT ETIENNE'."""
    text = unicodedata.normalize(
        "NFKD", name.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    )
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    text = re.sub(r"[-'’.,/()]", " ", text)
    abbreviations = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}
    return " ".join(abbreviations.get(word, word) for word in text.split())


def _district_from_postcode(department: str, name: str, postcode: str) -> str | None:
    city = _DISTRICT_CITIES.get(department)
    if not city or not name.startswith(city[0]) or not postcode.startswith(city[1]):
        return None
    if department == "69":
        return city[2] + postcode[-1]  # 69003 → 69383
    return city[2] + postcode[-2:]  # 75013 → 75113, 75116 → 75116, 13005 → 13205


def _rows(filename: str) -> list[dict[str, str]]:
    path = resources.files("hospiscope.data").joinpath("geo").joinpath(filename)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _name_keys(row: dict[str, str]) -> set[str]:
    # Match both the name with its article ("LE HAVRE") and without ("HAVRE").
    return {normalise_place_name(row["LIBELLE"]), normalise_place_name(row["NCCENR"])}


@cache
def geography() -> Geography:
    """The packaged reference geography (COG), loaded once per process."""
    regions = {r["REG"]: Region(r["REG"], r["LIBELLE"]) for r in _rows("regions.csv")}
    departments = {
        r["DEP"]: Department(r["DEP"], r["LIBELLE"], r["REG"]) for r in _rows("departements.csv")
    }
    geo = Geography(regions, departments, communes={})
    rows = _rows("communes.csv")
    current = [r for r in rows if r["TYPECOM"] in ("COM", "ARM")]
    for row in current:
        geo.communes[row["COM"]] = Commune(row["COM"], row["LIBELLE"], row["DEP"], row["REG"])
        if row["TYPECOM"] == "COM":
            for key in _name_keys(row):
                geo.names.setdefault((row["DEP"], key), set()).add(row["COM"])
    for row in rows:
        parent = geo.communes.get(row["COMPARENT"])
        if row["TYPECOM"] not in ("COMD", "COMA") or parent is None:
            continue
        if row["COM"] not in geo.communes:
            geo.former_codes[row["COM"]] = parent.code
        for key in _name_keys(row):
            geo.names.setdefault((parent.department_code, key), set()).add(parent.code)
    return geo


@cache
def region_names() -> dict[str, str]:
    """INSEE region code → name, without loading the communes (readers that only label
    regions, such as the summary, stay fast)."""
    return {r["REG"]: r["LIBELLE"] for r in _rows("regions.csv")}
