"""FINESS records joined to ScanSanté SMR establishments (`finess_geo_mapping_enrichis.json`,
opendatasante/openScanSanteSMR-web).

A JSON object keyed by the FINESS number ScanSanté uses (often the legal entity); each value
carries raw FINESS fields (nofinesset, nofinessej, categetab, codesph, com_code, …) and WGS84
coordinates. The establishment is `nofinesset` when present, else the key (with a warning).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.finess.records import (
    RawEstablishment,
    clean,
    duplicate_problem,
    parse_date,
)
from hospiscope.sources.issues import WARNING, Issue
from hospiscope.sources.textfile import open_text

NAME = "scansante"
LABEL = "établissements SMR ScanSanté enrichis des champs FINESS (JSON)"
_KEY_LINE = re.compile(r'^\s*"([^"]+)"\s*:\s*\{', re.MULTILINE)


def sniff(first_line: str) -> bool:
    return first_line.lstrip("\ufeff").lstrip().startswith("{")


def read(path: Path) -> tuple[list[RawEstablishment], list[Issue], dict[str, str]]:
    with open_text(path) as handle:
        text = handle.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return (
            [],
            [
                Issue(
                    path.name,
                    error.lineno,
                    f"caractère {error.colno}",
                    f"JSON invalide : {error.msg}",
                )
            ],
            {},
        )
    if not isinstance(data, dict):
        return [], [Issue(path.name, 1, "", "objet JSON attendu (clé = numéro FINESS)")], {}
    lines = _key_lines(text)
    records: dict[str, RawEstablishment] = {}
    issues: list[Issue] = []
    for key, value in data.items():
        line = lines.get(key, 1)
        record, problems = _record(line, key, value, path.name)
        issues += problems
        if record is None:
            continue
        if reason := duplicate_problem(records, record.finess_et):
            issues.append(Issue(path.name, line, "nofinesset", reason))
            continue
        records[record.finess_et] = record
    return list(records.values()), issues, {}


def _key_lines(text: str) -> dict[str, int]:
    """Line of each top-level key, so that issues point into the file."""
    lines = {}
    for match in _KEY_LINE.finditer(text):
        lines.setdefault(match.group(1), text.count("\n", 0, match.start()) + 1)
    return lines


def _record(line: int, key: str, value, file: str) -> tuple[RawEstablishment | None, list]:
    if not isinstance(value, dict):
        return None, [Issue(file, line, key, "enregistrement non structuré (objet attendu)")]
    issues = []
    et = normalise_finess(str(value.get("nofinesset") or ""))
    if not et:
        et = normalise_finess(key)
        issues.append(
            Issue(
                file,
                line,
                "nofinesset",
                f"nofinesset absent : l'établissement est identifié par la clé ScanSanté {et}",
                WARNING,
            )
        )
    if reason := finess_problem(et):
        return None, [Issue(file, line, "nofinesset", reason)]
    ej = normalise_finess(str(value.get("nofinessej") or ""))
    if ej and (reason := finess_problem(ej)):
        return None, [Issue(file, line, "nofinessej", reason)]
    try:
        record = _establishment(line, et, ej, value)
    except (TypeError, ValueError) as error:
        return None, [Issue(file, line, "", f"valeur invalide : {error}")]
    return record, issues


def _text(value: dict, name: str) -> str | None:
    raw = value.get(name)
    return clean(str(raw)) if raw is not None else None


def _establishment(line: int, et: str, ej: str, value: dict) -> RawEstablishment:
    latitude, longitude = value.get("latitude"), value.get("longitude")
    commune = _text(value, "com_code")
    return RawEstablishment(
        line=line,
        finess_et=et,
        finess_ej=ej or None,
        name=_text(value, "rs") or _text(value, "raison_sociale"),
        name_long=_text(value, "rslongue"),
        category_code=_text(value, "categetab"),
        category_label=_text(value, "libcategetab"),
        category_group_code=_text(value, "categagretab"),
        sph_code=_text(value, "codesph"),
        street=_text(value, "address"),
        postcode=_postcode(_text(value, "adresse") or ""),
        city=_text(value, "com_name"),
        department_field=_text(value, "dep_code"),
        commune_code=commune if commune and len(commune) == 5 else None,
        phone=_text(value, "telephone"),
        longitude=float(longitude) if longitude is not None else None,
        latitude=float(latitude) if latitude is not None else None,
        geo_source="ScanSanté (WGS84)" if latitude is not None else None,
        position_line=line,
        position_columns="latitude, longitude",
        opened_on=parse_date(_text(value, "dateouv") or ""),
        updated_on=parse_date(_text(value, "datemaj_structure") or ""),
    )


def _postcode(address: str) -> str | None:
    match = re.search(r"\b(\d{5})\b[^,]*$", address)
    return match.group(1) if match else None
