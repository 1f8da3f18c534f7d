"""Reference geography: INSEE regions, departments and communes; FINESS geographic codes;
coordinate conversion to WGS84. No dependency on any other hospiscope layer."""

from hospiscope.geo.codes import (
    department_from_finess_field,
    department_from_finess_number,
    insee_commune_from_finess,
)
from hospiscope.geo.reference import Geography, geography

__all__ = [
    "Geography",
    "department_from_finess_field",
    "department_from_finess_number",
    "geography",
    "insee_commune_from_finess",
]
