"""French terminal rendering of summaries, import outcomes and issues."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from hospiscope.sources.issues import Issue
from hospiscope.warehouse.imports import ImportOutcome


def french_number(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def show_outcome(console: Console, outcome: ImportOutcome) -> None:
    if outcome.skipped:
        console.print(
            f"[yellow]{outcome.file.name}[/] : déjà importé (lot "
            f"{outcome.already_imported_as}) — rien n'a changé."
        )
        return
    written = outcome.written
    console.print(
        f"[green]{outcome.file.name}[/] importé (lot {outcome.run_id}, format {written.layout}, "
        f"{written.encoding}) : {french_number(written.rows_accepted)} ligne(s) acceptée(s), "
        f"{french_number(written.rows_rejected)} rejetée(s), "
        f"{sum(1 for i in written.issues if i.severity != 'erreur')} avertissement(s) "
        f"en {french_number(outcome.duration_s, 1)} s."
    )
    if excluded := written.metadata.get("hors_perimetre"):
        console.print(
            f"  {french_number(excluded)} enregistrement(s) hors établissements de "
            "santé non retenu(s) (option --toutes-categories pour tout garder)."
        )


def show_issues(console: Console, issues: list[Issue], limit: int = 50) -> None:
    for issue in issues[:limit]:
        style = "red" if issue.severity == "erreur" else "yellow"
        console.print(f"[{style}]{issue.severity}[/] {issue}", highlight=False)
    if len(issues) > limit:
        console.print(f"… et {len(issues) - limit} autre(s) (voir le rapport)")


def show_summary(console: Console, summary: dict[str, Any]) -> None:
    registry = summary["registre"]
    if registry:
        console.rule("[bold]hospiscope — synthèse nationale")
        console.print(
            f"Établissements du registre FINESS : "
            f"[bold]{french_number(registry['etablissements'])}[/]"
        )
        console.print(_breakdown("Par région", registry["par_region"]))
        console.print(_breakdown("Par type d'établissement", registry["par_type"]))
        console.print(_breakdown("Par statut juridique", registry["par_statut"]))
        console.print(_breakdown("Par taille", registry["par_taille"]))
        for assumption in registry["hypotheses"]:
            console.print(f"[dim]Hypothèse : {assumption}[/]")
    if summary["experience_patient"]:
        console.print(_rates_table(summary["experience_patient"]))
        for assumption in sorted(
            {a for e in summary["experience_patient"] for a in e["hypotheses"]}
        ):
            console.print(f"[dim]Hypothèse : {assumption}[/]")
    _provenance(console, summary["provenance"])


def _breakdown(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("Code")
    table.add_column("Libellé")
    table.add_column("Établissements", justify="right")
    for row in rows:
        table.add_row(row["code"], row["libelle"], french_number(row["etablissements"]))
    return table


def _rates_table(entries: list[dict[str, Any]]) -> Table:
    table = Table(
        title="Expérience patient (e-Satis), valeurs nationales",
        title_justify="left",
        show_edge=False,
    )
    for column in (
        "Indicateur",
        "Campagne",
        "Valeur",
        "IC 95 %",
        "Numérateur / dénominateur",
        "Étab. publiés",
        "Étab. DI",
        "Méthode",
    ):
        table.add_column(column, justify="left" if column == "Indicateur" else "right")
    for e in entries:
        changed = " (méthode modifiée)" if e["methode_modifiee"] else ""
        table.add_row(
            e["libelle"],
            e["periode"],
            f"{french_number(e['valeur'], 1)} %",
            f"[{french_number(e['ic_bas'], 1)} ; {french_number(e['ic_haut'], 1)}]",
            f"{french_number(e['numerateur'])} / {french_number(e['denominateur'])}",
            french_number(e["etablissements_publies"]),
            french_number(e["etablissements_donnees_insuffisantes"]),
            f"v{e['version_methode']}, {e['methode_ic']}{changed}",
        )
    return table


def _provenance(console: Console, provenance: dict[str, Any]) -> None:
    table = Table(title="Provenance", title_justify="left", show_edge=False)
    for column in ("Lot", "Nature", "Fichier", "Lignes", "Rejets", "Avert.", "Date"):
        table.add_column(column)
    for run in provenance["importations"]:
        table.add_row(
            str(run["lot"]),
            run["nature"],
            run["fichier"],
            french_number(run["lignes_acceptees"]),
            str(run["lignes_rejetees"]),
            str(run["avertissements"]),
            run["date"],
        )
    console.print(table)
    if last := provenance["dernier_calcul"]:
        console.print(
            f"Dernier calcul : n° {last['calcul']}, moteur {last['moteur']}, "
            f"{last['date']} ({french_number(last['duree_s'], 1)} s)."
        )
