"""Declarative readers for the small `;`-separated files of the sources (one establishment
per line: capacities, participation, audits, hand hygiene, vaccination, certification…).

A `Layout` lists its fields with their kind; `read_table` checks every line and returns the
typed rows plus every problem found (file, line, column, reason), never only the first.
French conventions: `;` separator, decimal comma accepted, `oui`/`non`, dates dd/mm/yyyy.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.finess.records import parse_date
from hospiscope.sources.issues import Issue, header_issues
from hospiscope.sources.textfile import Encoding, open_text

Kind = Literal["finess", "year", "count", "decimal", "text", "yesno", "choice", "date"]
# Accepted spellings of yes / no (lower case), for both tabular readers.
YES_NO = {
    "oui": True,
    "o": True,
    "1": True,
    "true": True,
    "vrai": True,
    "non": False,
    "n": False,
    "0": False,
    "false": False,
    "faux": False,
}


@dataclass(frozen=True)
class Field:
    name: str  # column header in the file
    target: str  # key of the typed row (warehouse column)
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Layout:
    name: str
    label: str  # French, for messages
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # targets that identify a row (duplicates are errors)

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def read_table(
    path: Path, layout: Layout, encoding: Encoding | None = None
) -> tuple[list[dict[str, Any]], list[Issue]]:
    """Typed rows of `path` and the problems found (the rows with problems are left out).
    `encoding`: as detected, when the caller knows it already."""
    rows: dict[tuple, tuple[int, dict]] = {}
    issues: list[Issue] = []
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        missing = [f.name for f in layout.fields if f.name not in header]
        if len(header) <= 1 and missing:
            return [], [Issue(path.name, 1, "", "en-tête illisible : séparateur « ; » attendu")]
        if missing:
            return [], header_issues(path.name, layout.header, header)
        position = {f.name: header.index(f.name) for f in layout.fields}
        start = 2
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                issues.append(
                    Issue(
                        path.name,
                        line,
                        "",
                        f"{len(cells)} champs au lieu de "
                        f"{len(header)} (ligne tronquée ou séparateur incorrect)",
                    )
                )
                continue
            row, problems = _typed(layout, {n: cells[i].strip() for n, i in position.items()})
            issues += [Issue(path.name, line, column, reason) for column, reason in problems]
            if row is None:
                continue
            key = tuple(row[k] for k in layout.key)
            if key in rows:
                issues.append(
                    Issue(
                        path.name,
                        line,
                        layout.fields[0].name,
                        f"ligne en double (déjà ligne {rows[key][0]})",
                    )
                )
                continue
            rows[key] = (line, row)
    return [row for _, row in rows.values()], issues


def _typed(layout: Layout, values: dict[str, str]) -> tuple[dict | None, list]:
    row, problems = {}, []
    for field in layout.fields:
        raw = values[field.name]
        if not raw:
            if field.required:
                problems.append((field.name, "valeur obligatoire absente"))
            row[field.target] = None
            continue
        value, reason = _convert(field, raw)
        if reason:
            problems.append((field.name, f"{reason}, reçu « {raw[:40]} »"))
        row[field.target] = value
    return (None, problems) if problems else (row, [])


def _convert(field: Field, raw: str) -> tuple[Any, str | None]:
    kind = field.kind
    if kind == "finess":
        value = normalise_finess(raw)
        return value, finess_problem(value)
    if kind == "text":
        return raw, None
    if kind == "yesno":
        return YES_NO.get(raw.lower()), None if raw.lower() in YES_NO else "oui ou non attendu"
    if kind == "choice":
        return (
            raw,
            None if raw in field.choices else f"valeur attendue parmi {', '.join(field.choices)}",
        )
    if kind == "date":
        try:
            return parse_date(raw), None
        except ValueError:
            return None, "date invalide (jj/mm/aaaa attendu)"
    return _number(field, raw)


def _number(field: Field, raw: str) -> tuple[Any, str | None]:
    text = raw.replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None, "nombre attendu"
    if field.kind in ("year", "count"):
        if not value.is_integer() or value < 0:
            return None, "nombre entier positif attendu"
        value = int(value)
        if field.kind == "year" and not 1990 <= value <= 2100:
            return None, "année invalide"
    if field.minimum is not None and value < field.minimum:
        return None, f"valeur inférieure au minimum ({field.minimum:g})"
    if field.maximum is not None and value > field.maximum:
        return None, f"valeur supérieure au maximum ({field.maximum:g})"
    return value, None
