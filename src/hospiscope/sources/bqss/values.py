"""Reading the BQSS values file: one line per (annee, finess, finess_type, key), its value in
exactly one typed column (or the reason it has none in `missing_value`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hospiscope.sources.bqss import layout
from hospiscope.sources.bqss.types import COLUMNS_OF_TYPE, MISSING, VALUE_COLUMNS, parse_value
from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.issues import Issue

FINESS_TYPES = ("geo", "jur")


@dataclass(frozen=True)
class ValueRow:
    line: int
    year: int
    finess: str
    finess_type: str  # geo | jur
    key: str
    column: str | None  # the typed column holding the value; None when missing
    value: object  # typed (bool, str, int, float, date) or None
    raw: str  # the value as written (or the missing_value label)
    missing: str | None  # missing_value label, e.g. "Non concerné"


def read_values(
    path: Path, detected: layout.Detected, key_type: Callable[[str], str | None]
) -> tuple[list[ValueRow], list[Issue]]:
    """Typed rows and every problem found. `key_type(key)` gives the declared type of a key
    (mapping, else imported metadata), None when unknown: any one typed column is then
    accepted."""
    found: list[ValueRow] = []
    issues: list[Issue] = []
    seen: dict[tuple, int] = {}
    width = len(detected.header)
    for line, cells, count in layout.rows(path, detected):
        if cells is None:
            issues.append(_issue(path, line, "", f"{count} champs au lieu de {width}"))
            continue
        row, problems = _row(line, cells, key_type)
        issues += [_issue(path, line, column, reason) for column, reason in problems]
        if row is None:
            continue
        identity = (row.year, row.finess, row.finess_type, row.key)
        if identity in seen:
            issues.append(
                _issue(
                    path,
                    line,
                    "key",
                    f"clé « {row.key} » en double pour {row.finess} ({row.finess_type}) et "
                    f"l'année {row.year} (déjà ligne {seen[identity]})",
                )
            )
            continue
        seen[identity] = line
        found.append(row)
    return found, issues


def _issue(path: Path, line: int, column: str, reason: str) -> Issue:
    return Issue(path.name, line, column, reason)


def _row(line: int, v: dict[str, str], key_type) -> tuple[ValueRow | None, list]:
    problems = []
    year = _year(v["annee"], problems)
    finess = normalise_finess(v["finess"])
    if not v["finess"]:
        problems.append(("finess", "valeur obligatoire absente"))
    elif reason := finess_problem(finess):
        problems.append(("finess", reason))
    finess_type = v["finess_type"].lower()
    if finess_type not in FINESS_TYPES:
        problems.append(
            (
                "finess_type",
                f"type de FINESS inconnu « {v['finess_type'][:20]} » (geo ou jur attendu)",
            )
        )
    key = v["key"]
    if not key:
        problems.append(("key", "valeur obligatoire absente"))
    filled = [c for c in VALUE_COLUMNS if v[c]]
    missing = v.get(MISSING) or None
    column, value = _value(key, filled, missing, v, key_type, problems)
    if problems:
        return None, problems
    raw = v[column] if column else missing
    return ValueRow(line, year, finess, finess_type, key, column, value, raw, missing), []


def _value(key, filled, missing, v, key_type, problems) -> tuple[str | None, object]:
    if len(filled) > 1:
        problems.append((filled[1], f"plusieurs valeurs sur la ligne ({', '.join(filled)})"))
        return None, None
    if not filled:
        if not missing:
            problems.append(("value_*", "aucune valeur ni motif d'absence (missing_value)"))
        return None, None
    if missing:
        problems.append((MISSING, "motif d'absence donné alors qu'une valeur est présente"))
    column = filled[0]
    declared = key_type(key) if key else None
    allowed = COLUMNS_OF_TYPE.get(declared or "", VALUE_COLUMNS)
    if column not in allowed:
        problems.append(
            (
                column,
                f"valeur dans {column} alors que la clé « {key} » est de type {declared} "
                f"({' ou '.join(allowed)} attendu)",
            )
        )
        return None, None
    value, reason = parse_value(column, v[column])
    if reason:
        problems.append((column, f"{reason}, reçu « {v[column][:40]} »"))
    return column, value


def _year(text: str, problems: list) -> int | None:
    try:
        year = int(float(text))
    except ValueError:
        problems.append(("annee", f"année attendue, reçu « {text[:20]} »"))
        return None
    if not 1990 <= year <= 2100:
        problems.append(("annee", f"année invalide, reçu « {text[:20]} »"))
        return None
    return year
