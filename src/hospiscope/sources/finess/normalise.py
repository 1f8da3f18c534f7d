"""From raw records of any layout to registry rows: department, region, commune, category and
legal status resolved against the reference geography and nomenclature, with warnings for
what could not be resolved (the establishment is kept)."""

from __future__ import annotations

from typing import Any

from hospiscope.geo import (
    Geography,
    department_from_finess_field,
    department_from_finess_number,
    insee_commune_from_finess,
)
from hospiscope.geo.envelopes import position_problem
from hospiscope.sources.finess.categories import categories, category_by_label
from hospiscope.sources.finess.legal_status import legal_status
from hospiscope.sources.finess.records import RawEstablishment
from hospiscope.sources.finess.scope import registry_scope
from hospiscope.sources.issues import WARNING, Issue

REGISTRY_COLUMNS = (
    "finess_et",
    "finess_ej",
    "name",
    "name_long",
    "category_code",
    "category_label",
    "category_group_code",
    "category_group_label",
    "legal_status",
    "legal_status_basis",
    "street",
    "postcode",
    "city",
    "commune_code",
    "department_code",
    "region_code",
    "longitude",
    "latitude",
    "geo_source",
    "opened_on",
    "updated_on",
    "source_line",
)


def normalise(
    records: list[RawEstablishment], file: str, geo: Geography
) -> tuple[list[dict[str, Any]], list[Issue]]:
    rows, issues = [], []
    for record in records:
        row, warnings = _normalise_one(record, geo)
        rows.append(row)
        issues += [Issue(file, record.line, column, reason, WARNING) for column, reason in warnings]
        if position := _checked_position(record, row, file):
            issues.append(position)
    return rows, issues


# End of the warning given for a position outside its department (counted by the writer).
POSITION_DROPPED = "établissement gardé sans position"


def _checked_position(record: RawEstablishment, row: dict[str, Any], file: str) -> Issue | None:
    """A warning, and the position removed from `row`, when the converted position cannot be
    in the establishment's department (geo.envelopes): the establishment is kept, and a map
    will not show it at the other end of the world."""
    if row["longitude"] is None or row["latitude"] is None:
        return None
    problem = position_problem(row["longitude"], row["latitude"], row["department_code"])
    if problem is None:
        return None
    row.update(longitude=None, latitude=None, geo_source=None)
    written = f", d'après {record.position_text}" if record.position_text else ""
    return Issue(
        file,
        record.position_line or record.line,
        record.position_columns or "",
        f"{problem}{written} ; {POSITION_DROPPED}",
        WARNING,
    )


def _normalise_one(record: RawEstablishment, geo: Geography) -> tuple[dict[str, Any], list]:
    warnings: list[tuple[str, str]] = []
    department = _department(record)
    commune = _commune(record, department, geo, warnings)
    if commune and not department:
        department = geo.communes[commune].department_code
    region = geo.region_of_department(department)
    if region is None:
        warnings.append(
            (
                "departement",
                f"département {department or '?'} hors du code officiel "
                "géographique : région non renseignée",
            )
        )
    category = _category(record, warnings)
    status, basis = legal_status(category["category_code"], record.sph_code, record.public_private)
    row = {
        "finess_et": record.finess_et,
        "finess_ej": record.finess_ej,
        "name": record.name,
        "name_long": record.name_long,
        **category,
        "legal_status": status,
        "legal_status_basis": basis,
        "street": record.street,
        "postcode": record.postcode,
        "city": record.city,
        "commune_code": commune,
        "department_code": department,
        "region_code": region,
        "longitude": record.longitude,
        "latitude": record.latitude,
        "geo_source": record.geo_source,
        "opened_on": record.opened_on,
        "updated_on": record.updated_on,
        "source_line": record.line,
    }
    return row, warnings


def _department(record: RawEstablishment) -> str | None:
    if record.department_field:
        department = department_from_finess_field(record.department_field)
        if department:
            return department
    return department_from_finess_number(record.finess_et)


def _commune(
    record: RawEstablishment, department: str | None, geo: Geography, warnings: list
) -> str | None:
    code = record.commune_code
    if code and len(code) == 3 and record.department_field:
        code = insee_commune_from_finess(record.department_field, code)
    if code:
        current = geo.resolve_code(code)
        if current is None:
            warnings.append(
                (
                    "commune",
                    f"code commune INSEE {code} inconnu : département et "
                    "région déduits du code département",
                )
            )
        return current
    if department and record.city:
        found = geo.find_commune(department, record.city, record.postcode or "")
        if found is None:
            warnings.append(
                (
                    "city",
                    f"commune « {record.city} » introuvable dans le "
                    f"département {department} : commune non renseignée",
                )
            )
        return found
    warnings.append(("commune", "commune absente : commune non renseignée"))
    return None


def _category(record: RawEstablishment, warnings: list) -> dict[str, str | None]:
    found = None
    if record.category_code:
        found = categories().get(record.category_code)
    elif record.category_label:
        found = category_by_label(record.category_label)
        if found is None:
            warnings.append(
                (
                    "facility_type",
                    f"catégorie « {record.category_label} » absente "
                    "de la nomenclature : code non renseigné",
                )
            )
    return {
        "category_code": record.category_code or (found.code if found else None),
        "category_label": record.category_label or (found.label if found else None),
        "category_group_code": record.category_group_code or (found.group_code if found else None),
        "category_group_label": found.group_label if found else None,
    }


def in_scope(row: dict[str, Any]) -> bool:
    """Whether a registry row is kept by default (see sources/finess/scope.py)."""
    return registry_scope().keeps(row)
