"""The catalogue page of an indicator: structured data from its metadata (and, when given, the
SQL that runs), and a Markdown rendering of it. docs/catalogue/ is written with these
(reports/catalogue_docs.py, which compiles the SQL); the portal's indicator pages can render
the same data their own way. Text for users, in French."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hospiscope.catalogue.loader import where
from hospiscope.catalogue.meta import ClassGrid, Direction, IndicatorMeta

NOT_CHECKED = "non relu par un second relecteur"
GENERATOR = "python -m hospiscope.reports.catalogue_docs"
DIRECTIONS = {
    Direction.HIGHER_IS_BETTER: "plus la valeur est haute, mieux c'est",
    Direction.LOWER_IS_BETTER: "plus la valeur est basse, mieux c'est",
    Direction.NONE: "aucun jugement (valeur descriptive)",
}
DOMAINS = {
    "registre": "registre",
    "experience_patient": "expérience des patients",
    "processus": "qualité des prises en charge",
    "resultat": "résultats des soins",
    "certification": "certification",
    "efficience": "efficience",
    "imagerie": "imagerie",
}
KINDS = {
    "rate": "taux",
    "count": "nombre",
    "score": "score",
    "ratio": "ratio",
    "level": "niveau (résultat catégoriel)",
}
CI_METHODS = {
    "wilson": "Wilson",
    "exact": "exact (Clopper-Pearson)",
    "poisson_exact": "exact de Poisson (Garwood)",
    "byar": "Byar",
    "normal": "loi normale",
    "none": "aucun",
}


def indicator_page(
    meta: IndicatorMeta, path: Path, sql: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """Everything a catalogue page shows. `sql`: {"compute": …, "prepare": … or None,
    "definition_hash": …} from the fingerprint's compilation, or None."""
    review = meta.review
    return {
        "code": meta.code,
        "label": meta.label,
        "file": where(path),
        "facts": _facts(meta),
        "assumptions": list(meta.assumptions),
        "class_grids": [_grid(grid) for grid in meta.class_grids],
        "review": {
            "authored_by": review.authored_by,
            "checked_by": review.checked_by,
            "status": f"relu par {review.checked_by}" if review.checked_by else NOT_CHECKED,
            "reviewed_on": review.reviewed_on.isoformat(),
            "next_review": review.next_review.isoformat(),
            "checked": list(review.checked),
            "open_questions": list(review.open_questions),
        },
        "sql": sql,
    }


def _facts(meta: IndicatorMeta) -> list[tuple[str, str]]:
    """(French name, value) rows of the metadata table."""
    target = "aucun"
    if meta.target is not None:
        target = f"{meta.target:g} {meta.unit} — {meta.target_source}"
    sample = "aucun"
    if meta.min_sample:
        sample = f"{meta.min_sample} (colonne {meta.sample_column})"
    ci = CI_METHODS[meta.ci_method]
    if meta.ci_method != "none":
        ci += f", niveau {meta.ci_level:.0%}".replace("%", " %")
    rows = [
        ("Libellé court", meta.short_label),
        ("Domaine", DOMAINS.get(meta.domain, meta.domain)),
        ("Nature", KINDS[meta.kind]),
        ("Unité", meta.unit),
        ("Numérateur", meta.numerator),
        ("Dénominateur", meta.denominator or "aucun"),
        ("Sens", DIRECTIONS[meta.direction]),
        ("Objectif", target),
        ("Période", meta.period),
        ("Niveaux publiés", ", ".join(meta.levels)),
        ("Données lues", ", ".join(meta.inputs)),
        ("Intervalle de confiance", ci),
        ("Effectif minimal", sample),
        ("Statuts", " ; ".join(f"{s.code} : {s.label}" for s in meta.statuses) or "aucun"),
        ("Classes", " ; ".join(f"{code} : {label}" for code, label in meta.class_labels) or "—"),
        ("Source", f"{meta.source_document} ({meta.source_section})"),
        ("Version de la méthode", meta.method_version),
        ("Dans la synthèse nationale", "oui" if meta.headline else "non"),
    ]
    if meta.factor != 1:
        rows.insert(4, ("Facteur", f"{meta.factor:g}"))
    return rows


def _grid(grid: ClassGrid) -> dict[str, Any]:
    return {
        "source": grid.source,
        "assumption": grid.assumption,
        "periods": list(grid.periods),
        "bands": [(b.code, b.label, b.lower, b.upper) for b in grid.bands],
    }


# --- Markdown -----------------------------------------------------------------------------


def render_markdown(page: dict[str, Any]) -> str:
    lines = [
        f"# {page['code']} — {_cell(page['label'])}",
        "",
        f"> Page générée par `{GENERATOR}` depuis `{page['file']}` : ne pas la modifier à la main.",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {name} | {_cell(value)} |" for name, value in page["facts"]),
    ]
    if page["sql"]:
        lines.append(f"| Empreinte de la méthode | `{page['sql']['definition_hash']}` |")
    lines += ["", "## Hypothèses", ""]
    lines += [f"- {a}" for a in page["assumptions"]] or ["Aucune."]
    lines += _grids(page["class_grids"])
    lines += _review(page["review"])
    if page["sql"]:
        lines += _sql(page["sql"])
    return "\n".join(lines) + "\n"


def _grids(grids: list[dict[str, Any]]) -> list[str]:
    if not grids:
        return []
    lines = ["", "## Grilles de classes"]
    for grid in grids:
        periods = ", ".join(grid["periods"]) or "toutes les autres campagnes"
        kind = "hypothèse hospiscope" if grid["assumption"] else "grille publiée"
        lines += ["", f"Périodes : {periods} ({kind}). Source : {grid['source']}", ""]
        lines += ["| Classe | Libellé | De (inclus) | À (exclu) |", "| --- | --- | --- | --- |"]
        for code, label, lower, upper in grid["bands"]:
            lines.append(f"| {code} | {_cell(label)} | {_bound(lower)} | {_bound(upper)} |")
    return lines


def _review(review: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## Relecture",
        "",
        f"**{review['status'][:1].upper()}{review['status'][1:]}.** Rédigé par "
        f"{review['authored_by']} ; relu le {review['reviewed_on']} ; prochaine relecture le "
        f"{review['next_review']}.",
        "",
        "Ce qui a été vérifié, et par rapport à quoi :",
        "",
    ]
    lines += [f"- {c}" for c in review["checked"]] or ["- rien n'est consigné."]
    lines += ["", "Questions ouvertes :", ""]
    lines += [f"- {q}" for q in review["open_questions"]] or ["- aucune."]
    return lines


def _sql(sql: dict[str, str | None]) -> list[str]:
    lines = [
        "",
        "## SQL exécuté",
        "",
        "Le calcul par établissement, compilé pour DuckDB sur le schéma d'un entrepôt vide "
        "(le SQL qui tourne et dont l'empreinte est calculée) :",
        "",
        "```sql",
        sql["compute"].strip(),
        "```",
    ]
    if sql.get("prepare"):
        lines += [
            "",
            "Le résumé national sur lequel le modèle est ajusté avant le calcul :",
            "",
            "```sql",
            sql["prepare"].strip(),
            "```",
        ]
    return lines


def render_index(pages: list[dict[str, Any]]) -> str:
    lines = [
        "# Catalogue des indicateurs",
        "",
        f"> Pages générées par `{GENERATOR}` depuis `src/hospiscope/catalogue/definitions/` : "
        "ne pas les modifier à la main.",
        "",
        "Les leviers d'efficience que ces indicateurs étayent (annexe XII du rapport IGF-IGAS, "
        "§ 1) : [leviers.md](leviers.md).",
        "",
        "| Code | Indicateur | Version | Relecture |",
        "| --- | --- | --- | --- |",
    ]
    for page in pages:
        facts = dict(page["facts"])
        lines.append(
            f"| [{page['code']}]({page['code']}.md) | {_cell(page['label'])} | "
            f"{facts['Version de la méthode']} | {page['review']['status']} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def _bound(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
