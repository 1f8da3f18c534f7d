"""FINESS numbers: 9 characters, kept as strings with their leading zeros.

Structure: 2 characters of department (01–95, 2A/2B for Corsica, 97/98 overseas), 6 digits
of order, 1 check digit. The check digit is the Luhn key of the number read as digits, with
Corsica's 2A read as 21 and 2B as 22. This rule is verified on every number of the real
extracts in `shared/data/raw` (7 000+ numbers, none fails; tests/unit/sources).
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"^(?:\d{2}|2A|2B)\d{7}$")
_CORSICA_DIGITS = {"2A": "21", "2B": "22"}


def normalise_finess(raw: str) -> str:
    """Trim, upper-case and restore a leading zero dropped by a spreadsheet (8 digits → 9)."""
    value = raw.strip().upper()
    if len(value) == 8 and value.isdigit():
        value = "0" + value
    return value


def finess_problem(value: str) -> str | None:
    """Why `value` (already normalised) is not a valid FINESS number, or None if it is."""
    if not value:
        return "numéro FINESS absent"
    if len(value) != 9:
        return f"numéro FINESS « {value} » : 9 caractères attendus, {len(value)} reçus"
    if not _SHAPE.match(value):
        return f"numéro FINESS « {value} » : caractères non autorisés"
    if value.startswith("00"):
        return f"numéro FINESS « {value} » : département 00 inexistant"
    if not _luhn_valid(_CORSICA_DIGITS.get(value[:2], value[:2]) + value[2:]):
        return f"numéro FINESS « {value} » : clé de contrôle incorrecte"
    return None


def is_valid_finess(value: str) -> bool:
    return finess_problem(value) is None


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def luhn_check_digit(first_eight: str) -> str:
    """The check digit completing 8 characters into a valid FINESS number (for test data)."""
    digits = _CORSICA_DIGITS.get(first_eight[:2], first_eight[:2]) + first_eight[2:]
    for candidate in "0123456789":
        if _luhn_valid(digits + candidate):
            return candidate
    raise AssertionError("unreachable: one Luhn digit always exists")
