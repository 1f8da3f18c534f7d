"""Reading the BQSS metadata file (one line per key: name, title, description, type, source
and further descriptive columns) and the establishment file (one line per FINESS ET)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hospiscope.sources.bqss import layout
from hospiscope.sources.bqss.types import COLUMNS_OF_TYPE
from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.issues import WARNING, Issue


@dataclass(frozen=True)
class KeyMetadata:
    line: int
    name: str
    title: str
    description: str | None
    type: str
    source: str
    extra: str  # the other columns (indicateur, secteur, theme, version…) as JSON


@dataclass(frozen=True)
class Establishment:
    line: int
    finess_et: str
    finess_ej: str | None
    name: str
    extra: str  # the other columns as JSON


def read_metadata(path: Path, detected: layout.Detected) -> tuple[list[KeyMetadata], list[Issue]]:
    found, issues, seen = [], [], {}
    required = layout.REQUIRED[layout.METADATA]
    for line, cells, count in layout.rows(path, detected):
        if cells is None:
            issues.append(
                Issue(path.name, line, "", f"{count} champs au lieu de {len(detected.header)}")
            )
            continue
        problems = [(c, "valeur obligatoire absente") for c in ("name", "type") if not cells[c]]
        kind = cells["type"].lower()
        if kind and kind not in COLUMNS_OF_TYPE:
            # An unknown type is kept: the values of that key are then accepted in any column.
            issues.append(
                Issue(path.name, line, "type", f"type de clé inconnu « {kind} »", WARNING)
            )
        if cells["name"] in seen:
            problems.append(("name", f"clé en double (déjà ligne {seen[cells['name']]})"))
        issues += [Issue(path.name, line, column, reason) for column, reason in problems]
        if problems:
            continue
        seen[cells["name"]] = line
        extra = {k: v for k, v in cells.items() if k not in required and v}
        found.append(
            KeyMetadata(
                line,
                cells["name"],
                cells["title"],
                cells["description"] or None,
                kind,
                cells["source"],
                json.dumps(extra, ensure_ascii=False),
            )
        )
    return found, issues


def read_establishments(
    path: Path, detected: layout.Detected
) -> tuple[list[Establishment], list[Issue]]:
    found, issues, seen = [], [], {}
    required = layout.REQUIRED[layout.ESTABLISHMENTS]
    for line, cells, count in layout.rows(path, detected):
        if cells is None:
            issues.append(
                Issue(path.name, line, "", f"{count} champs au lieu de {len(detected.header)}")
            )
            continue
        problems = []
        et = normalise_finess(cells["num_finess_et"])
        if reason := finess_problem(et):
            problems.append(("num_finess_et", reason))
        ej = normalise_finess(cells["num_finess_ej"]) if cells["num_finess_ej"] else None
        if ej and (reason := finess_problem(ej)):
            problems.append(("num_finess_ej", reason))
        if et in seen:
            problems.append(("num_finess_et", f"établissement en double (déjà ligne {seen[et]})"))
        issues += [Issue(path.name, line, column, reason) for column, reason in problems]
        if problems:
            continue
        seen[et] = line
        extra = {k: v for k, v in cells.items() if k not in required and v}
        found.append(
            Establishment(
                line, et, ej, cells["raison_sociale_et"], json.dumps(extra, ensure_ascii=False)
            )
        )
    return found, issues
