"""FINESS geographic codes and their INSEE equivalents.

FINESS writes overseas departments with letters in its `departement` field (9A Guadeloupe,
9B Martinique, 9C Guyane, 9D La Réunion, 9F Mayotte) while its establishment numbers start
with 9701…, 9702…, 9703…, 9704… and 9805… (Mayotte); INSEE uses 971–976. Corsica keeps 2A/2B
everywhere. See `shared/spec/facts.md` §6; every rule here is checked against real records
in the tests.
"""

from __future__ import annotations

# FINESS `departement` field → INSEE department code (overseas only; others are identical).
FINESS_OVERSEAS_FIELD = {
    "9A": "971",
    "9B": "972",
    "9C": "973",
    "9D": "974",
    "9F": "976",
}

# First four characters of a FINESS number → INSEE department, for overseas numbers.
FINESS_OVERSEAS_PREFIX = {
    "9701": "971",
    "9702": "972",
    "9703": "973",
    "9704": "974",
    "9705": "975",  # Saint-Pierre-et-Miquelon (a collectivity, not a department)
    "9805": "976",
}


def department_from_finess_field(field: str) -> str | None:
    """INSEE department code from the FINESS `departement` field ('01', '2A', '9A', …)."""
    field = field.strip().upper()
    if field in FINESS_OVERSEAS_FIELD:
        return FINESS_OVERSEAS_FIELD[field]
    if field in FINESS_OVERSEAS_FIELD.values():
        return field  # some re-published files already use the INSEE code
    if len(field) == 2 and (field.isdigit() or field in ("2A", "2B")) and field != "00":
        return field
    return None


def department_from_finess_number(finess: str) -> str | None:
    """INSEE department code implied by a (valid, 9-character) FINESS number."""
    prefix = finess[:4]
    if prefix in FINESS_OVERSEAS_PREFIX:
        return FINESS_OVERSEAS_PREFIX[prefix]
    head = finess[:2]
    if head in ("97", "98"):
        return None  # another overseas collectivity: no INSEE department
    if head in ("2A", "2B") or (head.isdigit() and head != "00"):
        return head
    return None


def insee_commune_from_finess(department_field: str, commune_field: str) -> str | None:
    """INSEE commune code from the FINESS `departement` and 3-digit `commune` fields.

    Metropolitan France and Corsica: department + commune ('01' + '451' → '01451').
    Overseas: '97' + commune, whose first digit is the department's ('9A' + '105' → '97105').
    """
    commune = commune_field.strip()
    if not commune:
        return None
    if commune.isdigit() and len(commune) < 3:
        commune = commune.zfill(3)  # spreadsheets drop leading zeros
    if len(commune) != 3 or not commune.isdigit():
        return None
    department = department_from_finess_field(department_field)
    if department is None:
        return None
    if len(department) == 3:
        return "97" + commune
    return department + commune
