"""HAS open-data e-Satis results files, in their published layout (campaign 2019 and after,
one file per questionnaire): `resultats-esatis48h-mco-open-data-2019.csv`,
`resultats-esatisca-mco-open-data-2019.csv`. `;`-separated, decimal comma, ISO-8859-1
(Windows-1252), one line per establishment:

    finess;rs_finess;finess_geo;rs_finess_geo;region;participation;Depot;
    nb_rep_score_all_rea_ajust;score_all_rea_ajust;classement;evolution;
    nb_rep_score_<dim>_rea_ajust;score_<dim>_rea_ajust (accueil, PECinf, PECmed, chambre,
    repas, sortie);taux_reco_brut;nb_reco_brut

Scores are case-mix adjusted (`_ajust`), the recommendation rate is raw. The column names of
the ambulatory-surgery file are not in our sources: they are assumed to follow the same
pattern with the CA dimensions (see `DIMENSIONS`). Column names are matched without regard to
case.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.issues import Issue, header_issues
from hospiscope.sources.textfile import open_text

CLASSES = ("A", "B", "C", "D")
STATUSES = ("DI", "NR", "NV")
# HAS column stem of each dimension → hospiscope dimension code, per questionnaire.
DIMENSIONS = {
    "mco48h": {
        "accueil": "accueil",
        "pecinf": "pec_infirmier",
        "pecmed": "pec_medical",
        "chambre": "chambre",
        "repas": "repas",
        "sortie": "sortie",
    },
    "ca": {
        "avant": "avant",
        "accueil": "accueil",
        "pec": "pec",
        "chambre_collation": "chambre_collation",
        "sortie": "sortie",
    },
}
REQUIRED = (
    "finess_geo",
    "participation",
    "nb_rep_score_all_rea_ajust",
    "score_all_rea_ajust",
    "classement",
    "taux_reco_brut",
    "nb_reco_brut",
)
_CAMPAIGN = re.compile(r"(20\d\d)")


def _known(questionnaire: str) -> set[str]:
    """The optional columns of the layout (lower case), so that a renamed one is named."""
    stems = DIMENSIONS[questionnaire]
    return {"finess", "rs_finess", "rs_finess_geo", "region", "depot", "evolution"} | {
        f"{prefix}score_{stem}_rea_ajust" for stem in stems for prefix in ("", "nb_rep_")
    }


@dataclass
class PublishedRow:
    line: int
    finess: str
    name: str | None
    region: str | None
    participation: str | None
    deposit: str | None
    responses: int | None
    score: float | None
    label: str | None  # class A–D or status DI / NR / NV
    evolution: str | None
    dimensions: dict[str, tuple[int | None, float | None]]
    recommendation: float | None
    recommendation_responses: int | None


def questionnaire_of(path: Path) -> str | None:
    name = path.name.lower()
    return "ca" if "esatisca" in name else "mco48h" if "48h" in name else None


def campaign_of(path: Path) -> int | None:
    match = _CAMPAIGN.search(path.name)
    return int(match.group(1)) if match else None


def read(path: Path, questionnaire: str) -> tuple[list[PublishedRow], list[Issue]]:
    with open_text(path) as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [name.strip().lstrip("\ufeff").lower() for name in next(reader, [])]
        if len(header) <= 1:
            return [], [Issue(path.name, 1, "", "en-tête illisible : séparateur « ; » attendu")]
        if any(name not in header for name in REQUIRED):
            return [], header_issues(path.name, REQUIRED, header, _known(questionnaire))
        rows, issues, seen = [], [], {}
        start = 2
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                issues.append(
                    Issue(path.name, line, "", f"{len(cells)} champs au lieu de {len(header)}")
                )
                continue
            values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
            row, problems = _row(line, values, questionnaire)
            issues += [Issue(path.name, line, column, reason) for column, reason in problems]
            if row is None:
                continue
            if row.finess in seen:
                issues.append(
                    Issue(
                        path.name,
                        line,
                        "finess_geo",
                        f"établissement {row.finess} en double (déjà ligne {seen[row.finess]})",
                    )
                )
                continue
            seen[row.finess] = line
            rows.append(row)
    return rows, issues


def _row(line: int, v: dict[str, str], questionnaire: str) -> tuple[PublishedRow | None, list]:
    problems = []
    finess = normalise_finess(v["finess_geo"])
    if reason := finess_problem(finess):
        problems.append(("finess_geo", reason))
    label = v["classement"].upper() or None
    if label and label not in CLASSES + STATUSES:
        problems.append(("classement", f"classe ou statut inconnu « {v['classement']} »"))
    numbers = {}
    for column in ("score_all_rea_ajust", "taux_reco_brut"):
        numbers[column] = _decimal(v.get(column, ""), column, problems)
    for column in ("nb_rep_score_all_rea_ajust", "nb_reco_brut"):
        numbers[column] = _integer(v.get(column, ""), column, problems)
    dimensions = {}
    for stem, code in DIMENSIONS[questionnaire].items():
        score_column, count_column = f"score_{stem}_rea_ajust", f"nb_rep_score_{stem}_rea_ajust"
        if score_column in v:
            dimensions[code] = (
                _integer(v.get(count_column, ""), count_column, problems),
                _decimal(v[score_column], score_column, problems),
            )
    if label in CLASSES and numbers["score_all_rea_ajust"] is None:
        problems.append(("score_all_rea_ajust", f"score absent pour la classe {label}"))
    if problems:
        return None, problems
    return PublishedRow(
        line=line,
        finess=finess,
        name=v.get("rs_finess_geo") or v.get("rs_finess") or None,
        region=v.get("region") or None,
        participation=v["participation"] or None,
        deposit=v.get("depot") or None,
        responses=numbers["nb_rep_score_all_rea_ajust"],
        score=numbers["score_all_rea_ajust"],
        label=label,
        evolution=v.get("evolution") or None,
        dimensions=dimensions,
        recommendation=numbers["taux_reco_brut"],
        recommendation_responses=numbers["nb_reco_brut"],
    ), []


def _decimal(text: str, column: str, problems: list) -> float | None:
    if not text or text.upper() in ("NA", "NR", "DI", "NV"):
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        problems.append((column, f"nombre décimal attendu, reçu « {text[:20]} »"))
        return None


def _integer(text: str, column: str, problems: list) -> int | None:
    value = _decimal(text, column, problems)
    if value is None:
        return None
    if not value.is_integer() or value < 0:
        problems.append((column, f"nombre entier positif attendu, reçu « {text[:20]} »"))
        return None
    return int(value)
