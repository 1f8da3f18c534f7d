"""e-Satis participation: which eligible establishments took part in a campaign and whether
their submission was validated — what the NR ("non répondant") and NV ("non validé")
statuses come from. The published results files carry it in `participation` and `Depot`;
hospiscope reads it per questionnaire and campaign in this documented layout:

    finess;campagne;questionnaire;participation;depot_valide

`;`-separated, header line, `oui`/`non` (also `1`/`0`).
"""

from __future__ import annotations

import csv
from pathlib import Path

from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.issues import Issue
from hospiscope.sources.textfile import open_text

HEADER = ("finess", "campagne", "questionnaire", "participation", "depot_valide")
QUESTIONNAIRE_CODES = ("mco48h", "ca", "smr")
_YES_NO = {"oui": True, "1": True, "non": False, "0": False}


def read(path: Path) -> tuple[list[dict], list[Issue]]:
    rows: dict[tuple, dict] = {}
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
            key = (row["finess_et"], row["campaign"], row["questionnaire"])
            if key in rows:
                issues.append(Issue(path.name, line, "finess", f"{key[0]} en double"))
                continue
            rows[key] = row
    return list(rows.values()), issues


def _row(values: dict[str, str]) -> tuple[dict | None, list[tuple[str, str]]]:
    problems = []
    finess = normalise_finess(values["finess"])
    if reason := finess_problem(finess):
        problems.append(("finess", reason))
    if not (values["campagne"].isdigit() and 2016 <= int(values["campagne"]) <= 2100):
        problems.append(("campagne", f"année de campagne invalide « {values['campagne']} »"))
    if values["questionnaire"] not in QUESTIONNAIRE_CODES:
        problems.append(("questionnaire", f"questionnaire inconnu « {values['questionnaire']} »"))
    for name in ("participation", "depot_valide"):
        if values[name].lower() not in _YES_NO:
            problems.append((name, f"oui ou non attendu, reçu « {values[name]} »"))
    if problems:
        return None, problems
    return {
        "finess_et": finess,
        "campaign": int(values["campagne"]),
        "questionnaire": values["questionnaire"],
        "participated": _YES_NO[values["participation"].lower()],
        "validated": _YES_NO[values["depot_valide"].lower()],
    }, []


def file_name(questionnaire: str, campaign: int) -> str:
    return f"esatis-{questionnaire}-participation-{campaign}.csv"
