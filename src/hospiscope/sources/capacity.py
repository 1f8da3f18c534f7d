"""Installed capacity (beds and places) per establishment and year.

The national source is the SAE (Statistique annuelle des établissements de santé, DREES); its
bases are published per module with many variables. hospiscope reads a narrow extract in
this documented layout (docs/formats.md), which the demo generator also writes:

    annee;finess;lits_mco;places_mco;lits_smr;places_smr;lits_psy;places_psy;lits_sld

`;`-separated, header line, integers ≥ 0 or empty (not reported).
"""

from __future__ import annotations

import csv
from pathlib import Path

from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.issues import Issue
from hospiscope.sources.textfile import open_text

HEADER = (
    "annee",
    "finess",
    "lits_mco",
    "places_mco",
    "lits_smr",
    "places_smr",
    "lits_psy",
    "places_psy",
    "lits_sld",
)
TARGETS = (
    "year",
    "finess_et",
    "beds_mco",
    "places_mco",
    "beds_smr",
    "places_smr",
    "beds_psy",
    "places_psy",
    "beds_sld",
)


def read(path: Path) -> tuple[list[dict], list[Issue]]:
    rows: dict[tuple[str, int], dict] = {}
    issues: list[Issue] = []
    with open_text(path) as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
        if missing := [name for name in HEADER if name not in header]:
            return [], [Issue(path.name, 1, name, "colonne manquante") for name in missing]
        position = {name: header.index(name) for name in HEADER}
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(header):
                issues.append(
                    Issue(path.name, line, "", f"{len(cells)} champs au lieu de {len(header)}")
                )
                continue
            row, problems = _row({name: cells[i].strip() for name, i in position.items()})
            issues += [Issue(path.name, line, column, reason) for column, reason in problems]
            if row is None:
                continue
            key = (row["finess_et"], row["year"])
            if key in rows:
                issues.append(
                    Issue(path.name, line, "finess", f"{key[0]} en double pour l'année {key[1]}")
                )
                continue
            rows[key] = row
    return list(rows.values()), issues


def _row(values: dict[str, str]) -> tuple[dict | None, list[tuple[str, str]]]:
    problems = []
    finess = normalise_finess(values["finess"])
    if reason := finess_problem(finess):
        problems.append(("finess", reason))
    if not (values["annee"].isdigit() and 1990 <= int(values["annee"]) <= 2100):
        problems.append(("annee", f"année invalide « {values['annee']} »"))
    for name in HEADER[2:]:
        if values[name] and not values[name].isdigit():
            problems.append((name, f"nombre entier positif attendu, reçu « {values[name]} »"))
    if problems:
        return None, problems
    row = {
        target: (int(values[name]) if values[name] else None)
        for name, target in zip(HEADER[2:], TARGETS[2:], strict=True)
    }
    row.update(year=int(values["annee"]), finess_et=finess)
    return row, []
