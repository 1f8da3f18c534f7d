"""The official open-data FINESS export (etalab, `etalab-cs1100507-stock-<date>.csv`).

No header; `;`-separated; three kinds of lines:
    finess;etalab;<n>;<date>                      — first line (extract date)
    structureet;nofinesset;nofinessej;rs;…        — one per establishment (31 fields + a
                                                    trailing empty one in recent extracts)
    geolocalisation;nofinesset;x;y;<source>;<date> — coordinates, Lambert-93 or local UTM
Fields may be quoted with doubled inner quotes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from hospiscope.geo.projection import UnknownProjection, epsg_of_source, to_wgs84
from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.finess.records import (
    RawEstablishment,
    clean,
    duplicate_problem,
    parse_date,
)
from hospiscope.sources.issues import WARNING, Issue
from hospiscope.sources.textfile import open_text

NAME = "etalab"
LABEL = "export FINESS open data (etalab)"
STRUCTURE_FIELDS = [
    "structureet",
    "nofinesset",
    "nofinessej",
    "rs",
    "rslongue",
    "complrs",
    "compldistrib",
    "numvoie",
    "typvoie",
    "voie",
    "compvoie",
    "lieuditbp",
    "commune",
    "departement",
    "libdepartement",
    "ligneacheminement",
    "telephone",
    "telecopie",
    "categetab",
    "libcategetab",
    "categagretab",
    "libcategagretab",
    "siret",
    "codeape",
    "codemft",
    "libmft",
    "codesph",
    "libsph",
    "dateouv",
    "dateautor",
    "datemaj",
]
GEO_FIELDS = ["geolocalisation", "nofinesset", "coordxet", "coordyet", "source", "datemaj"]


def sniff(first_line: str) -> bool:
    return first_line.startswith(("finess;etalab", "structureet;"))


@dataclass
class _State:
    file: str
    records: dict[str, RawEstablishment] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    extract_date: str | None = None

    def error(self, line: int, column: str, reason: str) -> None:
        self.issues.append(Issue(self.file, line, column, reason))

    def warn(self, line: int, column: str, reason: str) -> None:
        self.issues.append(Issue(self.file, line, column, reason, WARNING))


def read(path: Path) -> tuple[list[RawEstablishment], list[Issue], dict[str, str]]:
    state = _State(path.name)
    with open_text(path) as handle:
        reader = csv.reader(handle, delimiter=";", quotechar='"')
        start = 1
        for cells in reader:
            _read_line(state, start, cells)
            start = reader.line_num + 1
    if not state.records and not any(i.severity != WARNING for i in state.issues):
        state.error(1, "", "aucune ligne « structureet » : fichier vide ou tronqué")
    metadata = {"extract_date": state.extract_date} if state.extract_date else {}
    return list(state.records.values()), state.issues, metadata


def _read_line(state: _State, line: int, cells: list[str]) -> None:
    kind = cells[0] if cells else ""
    if kind == "structureet":
        _read_structure(state, line, cells)
    elif kind == "geolocalisation":
        _read_geolocation(state, line, cells)
    elif kind == "finess" and line == 1:
        state.extract_date = cells[3] if len(cells) > 3 else None
    elif any(cell.strip() for cell in cells):
        hint = " (séparateur « ; » attendu)" if len(cells) == 1 and "," in cells[0] else ""
        state.error(line, "1", f"type de ligne inconnu « {kind[:30]} »{hint}")


def _column(name: str) -> str:
    return f"{name} ({STRUCTURE_FIELDS.index(name) + 1})"


def _read_structure(state: _State, line: int, cells: list[str]) -> None:
    if len(cells) < len(STRUCTURE_FIELDS):
        state.error(
            line,
            "",
            f"ligne incomplète : {len(cells)} champs au lieu de "
            f"{len(STRUCTURE_FIELDS)} (fichier tronqué ?)",
        )
        return
    value = dict(zip(STRUCTURE_FIELDS, (cell.strip() for cell in cells), strict=False))
    et = normalise_finess(value["nofinesset"])
    problems = _number_problems(value, et)
    problems += _date_problems(value)
    for column, reason in problems:
        state.error(line, column, reason)
    if problems:
        return
    if reason := duplicate_problem(state.records, et):
        state.error(line, _column("nofinesset"), reason)
        return
    state.records[et] = _establishment(line, et, value)


def _number_problems(value: dict[str, str], et: str) -> list[tuple[str, str]]:
    problems = []
    if reason := finess_problem(et):
        problems.append((_column("nofinesset"), reason))
    ej = normalise_finess(value["nofinessej"])
    if ej and (reason := finess_problem(ej)):
        problems.append((_column("nofinessej"), reason))
    return problems


def _date_problems(value: dict[str, str]) -> list[tuple[str, str]]:
    problems = []
    for name in ("dateouv", "datemaj"):
        try:
            parse_date(value[name])
        except ValueError:
            problems.append((_column(name), f"date invalide « {value[name]} »"))
    return problems


def _establishment(line: int, et: str, value: dict[str, str]) -> RawEstablishment:
    street = " ".join(
        v
        for v in (
            value["numvoie"],
            value["compvoie"],
            value["typvoie"],
            value["voie"],
            value["lieuditbp"],
        )
        if v
    )
    routing = value["ligneacheminement"]
    postcode, _, city = routing.partition(" ")
    return RawEstablishment(
        line=line,
        finess_et=et,
        finess_ej=normalise_finess(value["nofinessej"]) or None,
        name=clean(value["rs"]),
        name_long=clean(value["rslongue"]),
        category_code=clean(value["categetab"]),
        category_label=clean(value["libcategetab"]),
        category_group_code=clean(value["categagretab"]),
        sph_code=clean(value["codesph"]),
        street=clean(street),
        postcode=postcode if postcode.isdigit() else None,
        city=clean(city),
        department_field=clean(value["departement"]),
        commune_code=clean(value["commune"]),
        phone=clean(value["telephone"]),
        opened_on=parse_date(value["dateouv"]),
        updated_on=parse_date(value["datemaj"]),
    )


def _read_geolocation(state: _State, line: int, cells: list[str]) -> None:
    if len(cells) < 5:
        state.error(line, "", f"ligne de géolocalisation incomplète : {len(cells)} champs")
        return
    et = normalise_finess(cells[1])
    record = state.records.get(et)
    if record is None:
        state.warn(
            line,
            "nofinesset (2)",
            f"géolocalisation d'un établissement absent du fichier ({et}) : ignorée",
        )
        return
    try:
        x, y = float(cells[2]), float(cells[3])
    except ValueError:
        state.error(line, "coordxet (3)", f"coordonnées non numériques « {cells[2]} ; {cells[3]} »")
        return
    try:
        epsg = epsg_of_source(cells[4])
    except UnknownProjection as error:
        state.error(line, "source (5)", str(error))
        return
    record.longitude, record.latitude = to_wgs84(x, y, epsg)
    record.geo_source = cells[4].strip()
    record.position_line = line
    record.position_columns = "coordxet (3), coordyet (4)"
    record.position_text = f"X = {cells[2].strip()}, Y = {cells[3].strip()} (EPSG:{epsg})"
