"""FINESS hospitals harmonised by Eurostat GISCO (`eurostat/basic-services`, FR.csv).

Comma-separated with a header; `id` is the FINESS ET number with the leading zero dropped for
departments 01–09; `facility_type` is the category *label*; coordinates already in WGS84;
`public_private` is derived by GISCO from the FINESS SPH code (see legal_status.py).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.finess.records import RawEstablishment, clean, duplicate_problem
from hospiscope.sources.issues import Issue, header_issues
from hospiscope.sources.textfile import open_text

NAME = "gisco"
LABEL = "établissements hospitaliers FINESS harmonisés par Eurostat GISCO"
HEADER_START = "id,hospital_name,"
REQUIRED = (
    "id",
    "hospital_name",
    "lat",
    "lon",
    "street",
    "house_number",
    "postcode",
    "city",
    "facility_type",
    "public_private",
    "ref_date",
)
# The layout's other columns (not read): a renamed required column is then named as such.
OTHER_COLUMNS = (
    "site_name",
    "geo_qual",
    "cc",
    "country",
    "cap_beds",
    "cap_prac",
    "cap_rooms",
    "emergency",
    "list_specs",
    "tel",
    "email",
    "url",
    "pub_date",
    "comments",
)


def sniff(first_line: str) -> bool:
    return first_line.lstrip("\ufeff").startswith(HEADER_START)


def read(path: Path) -> tuple[list[RawEstablishment], list[Issue], dict[str, str]]:
    issues: list[Issue] = []
    records: dict[str, RawEstablishment] = {}
    ref_dates: set[str] = set()
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
        if missing:
            found = reader.fieldnames or []
            return [], header_issues(path.name, REQUIRED, found, OTHER_COLUMNS), {}
        start = 2
        for row in reader:
            line, start = start, reader.line_num + 1
            if None in row or any(value is None for value in row.values()):
                issues.append(Issue(path.name, line, "", _count_message(row, reader.fieldnames)))
                continue
            record, problems = _record(line, row)
            issues += [Issue(path.name, line, column, reason) for column, reason in problems]
            if record is None:
                continue
            if reason := duplicate_problem(records, record.finess_et):
                issues.append(Issue(path.name, line, "id", reason))
                continue
            records[record.finess_et] = record
            ref_dates.add(row["ref_date"])
    dates = [_french_date(text) for text in ref_dates]
    metadata = {"extract_date": max(dates).isoformat()} if dates else {}
    return list(records.values()), issues, metadata


def _count_message(row: dict, fieldnames) -> str:
    count = len([v for k, v in row.items() if k is not None and v is not None])
    extra = len(row.get(None) or [])
    return f"nombre de champs incorrect : {count + extra} au lieu de {len(fieldnames)}"


def _record(line: int, row: dict[str, str]) -> tuple[RawEstablishment | None, list]:
    et = normalise_finess(row["id"])
    if reason := finess_problem(et):
        return None, [("id", reason)]
    coordinates, problems = _coordinates(row)
    if problems:
        return None, problems
    street = " ".join(v for v in (row["house_number"].strip(), row["street"].strip()) if v)
    return RawEstablishment(
        line=line,
        finess_et=et,
        name=clean(row["hospital_name"]),
        name_long=clean(row.get("site_name")),
        category_label=clean(row["facility_type"]),
        public_private=row["public_private"].strip(),
        street=clean(street),
        postcode=clean(row["postcode"]),
        city=clean(row["city"]),
        phone=clean(row.get("tel")),
        longitude=coordinates[0] if coordinates else None,
        latitude=coordinates[1] if coordinates else None,
        geo_source="GISCO (WGS84)" if coordinates else None,
        position_line=line,
        position_columns="lat, lon",
    ), []


def _coordinates(row: dict[str, str]) -> tuple[tuple[float, float] | None, list]:
    lat, lon = row["lat"].strip(), row["lon"].strip()
    if not lat and not lon:
        return None, []
    try:
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        return None, [("lat", f"coordonnées non numériques « {lat} ; {lon} »")]
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, [("lat", f"coordonnées hors limites « {lat} ; {lon} »")]
    return (longitude, latitude), []


def _french_date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return dt.date.min
