"""The raw establishment record every FINESS layout reader produces (before normalisation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class RawEstablishment:
    """One establishment as read from a file: values are trimmed strings or None, except the
    coordinates (already in WGS84) and dates (parsed)."""

    line: int
    finess_et: str
    finess_ej: str | None = None
    name: str | None = None
    name_long: str | None = None
    category_code: str | None = None
    category_label: str | None = None
    category_group_code: str | None = None  # categagretab (aggregate category)
    sph_code: str | None = None  # code "service public hospitalier" (legal status evidence)
    public_private: str | None = None  # GISCO's public/private flag, derived from the SPH code
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    department_field: str | None = None  # FINESS department field: 01…95, 2A, 2B, 9A…9F
    commune_code: str | None = None  # INSEE commune code when the layout gives one
    phone: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    geo_source: str | None = None
    # Where the position was read (line, columns; values as written when they were projected),
    # for the warning given when it falls outside the establishment's department.
    position_line: int | None = None
    position_columns: str | None = None
    position_text: str | None = None
    opened_on: dt.date | None = None
    updated_on: dt.date | None = None


def duplicate_problem(records: dict[str, RawEstablishment], finess: str) -> str | None:
    """Why a record with this ET number cannot be added (already read), or None."""
    if finess in records:
        return f"numéro FINESS {finess} en double (déjà ligne {records[finess].line})"
    return None


def parse_date(text: str) -> dt.date | None:
    """ISO (2024-01-31) or French (31/01/2024) date; None when empty. ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    if "/" in text:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    return dt.date.fromisoformat(text)


def clean(text: str | None) -> str | None:
    """Trimmed text with inner runs of spaces collapsed, or None when empty."""
    if text is None:
        return None
    value = " ".join(text.split())
    return value or None
