"""docs/catalogue/leviers.md: the lever catalogue as a French page — one table per field of
action, local measures apart from national ones, with the indicators that evidence each
measure — then one sheet per lever (description, attention points, resources, source,
review). Written with the indicator pages by reports/catalogue_docs.py, whose test fails when
the page is stale."""

from __future__ import annotations

from collections.abc import Iterable

from hospiscope.catalogue.levers.loader import FILE, levers
from hospiscope.catalogue.levers.model import FIELDS, PART_OF_FIELD, PARTS, SCOPES, Lever
from hospiscope.catalogue.loader import catalogue_meta
from hospiscope.catalogue.pages import GENERATOR, NOT_CHECKED

PAGE = "leviers.md"
SOURCE = f"src/hospiscope/catalogue/levers/{FILE}"


def render_levers(found: tuple[Lever, ...] | None = None) -> str:
    found = levers() if found is None else found
    lines = _header(found)
    for part, part_label in PARTS.items():
        lines += ["", f"## {part_label}"]
        for field in (f for f in FIELDS if PART_OF_FIELD[f] == part):
            lines += _field(field, [lever for lever in found if lever.field == field])
    lines += ["", "## Fiches des leviers"]
    checked, document = _common_checked(found), _common_document(found)
    for lever in found:
        lines += _sheet(lever, checked, document)
    return "\n".join(lines) + "\n"


def _header(found: tuple[Lever, ...]) -> list[str]:
    national = sum(1 for lever in found if lever.scope == "national")
    checked = sum(1 for lever in found if lever.review.checked_by)
    lines = [
        "# Leviers d'efficience interne",
        "",
        f"> Page générée par `{GENERATOR}` depuis `{SOURCE}` : ne pas la modifier à la main.",
        "",
        f"Les {len(found)} mesures du tableau de synthèse de l'annexe XII du rapport IGF-IGAS "
        "de septembre 2025 (§ 1), dans l'ordre du tableau : "
        f"{len(found) - national} mesures locales et {national} mesures nationales. Une mesure "
        "est nationale quand l'annexe l'écrit en italique ; la fiche dit pourquoi quand son "
        "libellé laisse penser autrement. Libellés et descriptions sont reformulés ; les points "
        "d'attention de l'annexe portent sur une ligne du tableau et sont rattachés ici aux "
        "mesures qu'ils concernent.",
        "",
        "Indicateurs : un code lié est calculé par le catalogue ; « (prévu) » signale un "
        "indicateur de l'issue 11 pas encore construit.",
        "",
        f"Relecture : {checked} mesure(s) sur {len(found)} relue(s) par un second relecteur.",
    ]
    if document := _common_document(found):
        lines += ["", f"Source de toutes les mesures : {document}."]
    if common := _common_checked(found):
        lines += ["", "Ce qui a été vérifié, pour toutes les mesures :", ""]
        lines += [f"- {item}" for item in common]
    return lines


def _common_checked(found: tuple[Lever, ...]) -> tuple[str, ...]:
    records = {lever.review.checked for lever in found}
    return records.pop() if len(records) == 1 else ()


def _common_document(found: tuple[Lever, ...]) -> str | None:
    documents = {lever.source_document for lever in found}
    return documents.pop() if len(documents) == 1 else None


def _field(field: str, found: list[Lever]) -> list[str]:
    lines = ["", f"### {field}"]
    for scope, title in (("local", "Mesures locales"), ("national", "Mesures nationales")):
        rows = [lever for lever in found if lever.scope == scope]
        if not rows:
            lines += ["", f"{title} : aucune."]
            continue
        lines += ["", f"{title} :", ""]
        lines += ["| Levier | Type de levier | Mesure | Indicateurs |", "| --- | --- | --- | --- |"]
        lines += [
            f"| [{lever.id}](#{lever.id.lower()}) | {_cell(lever.lever_type)} | "
            f"{_cell(lever.label)} | {_indicators(lever)} |"
            for lever in rows
        ]
    return lines


def _indicators(lever: Lever) -> str:
    known = catalogue_meta()
    cells = [f"[{code}]({code}.md)" if code in known else f"{code} (prévu)" for code in lever.codes]
    return ", ".join(cells) or "—"


def _sheet(lever: Lever, common: tuple[str, ...], document: str | None) -> list[str]:
    scope = SCOPES[lever.scope] + (f" — {lever.scope_note}" if lever.scope_note else "")
    review = lever.review
    status = f"relu par {review.checked_by}" if review.checked_by else NOT_CHECKED
    lines = [
        "",
        f"### {lever.id}",
        "",
        f"**{lever.label}.** {lever.description}",
        "",
        f"- Champ d'action : {lever.field} ({PARTS[lever.part].lower()})",
        f"- Type de levier : {lever.lever_type}",
        f"- Portée : {scope}",
        f"- Indicateurs : {_indicators(lever)}",
        "- Source : "
        + (
            lever.source_section
            if document
            else f"{lever.source_document} ; {lever.source_section}"
        ),
        f"- Relecture : {status} ; rédigé par {review.authored_by} ; relu le "
        f"{review.reviewed_on.isoformat()} ; prochaine relecture le "
        f"{review.next_review.isoformat()}",
    ]
    lines += _list("Points d'attention", lever.attention_points)
    lines += _list("Ressources", lever.resources)
    if review.checked != common:
        lines += _list("Ce qui a été vérifié", review.checked)
    lines += _list("Questions ouvertes", review.open_questions)
    return lines


def _list(title: str, items: Iterable[str]) -> list[str]:
    items = list(items)
    return ["", f"{title} :", "", *(f"- {item}" for item in items)] if items else []


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")
