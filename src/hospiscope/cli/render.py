"""French terminal rendering of summaries, import outcomes and issues."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # the warehouse (DuckDB) is imported by the functions that need it, so
    # that `hospiscope --help` stays fast (cli.app imports this module)
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
    for replaced in written.metadata.get("remplace", ()):
        kept = replaced["lignes_gardees"]
        console.print(
            f"  remplace le lot {replaced['lot']} (« {replaced['fichier']} ») : "
            f"{french_number(replaced['lignes_retirees'])} ligne(s) retirée(s)"
            + (f", {french_number(kept)} ligne(s) d'autres campagnes gardée(s)." if kept else ".")
        )
    if excluded := written.metadata.get("hors_perimetre"):
        console.print(
            f"  {french_number(excluded)} enregistrement(s) hors du périmètre du registre "
            "(établissements de santé et hôpitaux des armées) non retenu(s) "
            "(option --toutes-categories pour tout garder)."
        )
    if dropped := written.metadata.get("positions_hors_departement"):
        console.print(
            f"  [yellow]{french_number(dropped)} position(s) hors du département de "
            "l'établissement non retenue(s)[/] (établissements gardés sans position) :",
            highlight=False,
        )
        show_issues(console, [i for i in written.issues if "sans position" in i.reason], 5)
    from hospiscope.warehouse.unregistered import unregistered_message

    if absent := unregistered_message(written.metadata):
        console.print(f"  [yellow]{absent}[/]", highlight=False)


def show_issues(console: Console, issues: list[Issue], limit: int = 50) -> None:
    for issue in issues[:limit]:
        style = "red" if issue.severity == "erreur" else "yellow"
        console.print(f"[{style}]{issue.severity}[/] {issue}", highlight=False)
    if len(issues) > limit:
        console.print(f"… et {len(issues) - limit} autre(s) (voir le rapport)")


def show_summary(console: Console, summary: dict[str, Any]) -> None:
    registry = summary["registre"]
    console.rule("[bold]hospiscope — synthèse nationale")
    if registry.get("etablissements"):
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
    else:
        console.print(f"[yellow]{registry['message']}[/]")
    _unregistered(console, registry.get("absents_du_registre"))
    for domain in summary["domaines"]:
        console.rule(f"{domain['titre']}, valeurs nationales")
        console.print(
            "[dim]Publiés : établissements avec un résultat ; DI : données insuffisantes.[/]"
        )
        for table in _rates_tables(domain["indicateurs"]):
            console.print(table)
        for assumption in sorted({a for e in domain["indicateurs"] for a in e["hypotheses"]}):
            console.print(f"[dim]Hypothèse : {assumption}[/]")
    show_notices(console, summary["source"]["note"], summary["fraicheur"], summary.get("message"))
    _provenance(console, summary["provenance"])


def show_notices(
    console: Console, source_note: str, freshness: dict[str, Any] | None, message: str | None
) -> None:
    """What every reader says beside its answer: why it is empty, which source it shows,
    whether it predates later imports."""
    if message:
        console.print(f"[yellow]{message}[/]")
    if source_note:
        console.print(f"[dim]{source_note}[/]")
    if freshness and freshness["perime"]:
        console.print(f"[yellow]{freshness['message']}[/]")


def _unregistered(console: Console, unregistered: dict[str, Any] | None) -> None:
    if not unregistered or not unregistered["etablissements"]:
        return
    shown = ", ".join(unregistered["finess"][:10])
    more = unregistered["etablissements"] - min(10, len(unregistered["finess"]))
    console.print(
        f"[yellow]{french_number(unregistered['etablissements'])} établissement(s) avec des "
        f"résultats, {unregistered['libelle']} : {shown}"
        + (f" et {french_number(more)} autre(s)" if more > 0 else "")
        + ".[/]"
    )


def show_results(console: Console, frame) -> None:
    """Stored results as a table (the JSON output has every column)."""
    if frame.empty:
        console.print("Aucun résultat ne correspond.")
        return
    table = Table(show_edge=False)
    for column in ("Indicateur", "Période", "Niveau", "Entité", "Valeur", "IC", "Num. / dén."):
        table.add_column(column, no_wrap=True)
    for column in ("Classe", "Statut", "Version"):
        table.add_column(column)
    for r in frame.to_dict("records"):
        low, high = _float(r["ci_low"]), _float(r["ci_high"])
        table.add_row(
            r["indicator_code"],
            str(r["period"]),
            r["entity_kind"],
            r["entity_id"],
            french_number(_float(r["value"]), 1),
            f"[{french_number(low, 1)} ; {french_number(high, 1)}]" if low is not None else "—",
            f"{french_number(_float(r['numerator']))} / {french_number(_float(r['denominator']))}",
            _text(r["class"]),
            _text(r["status"]),
            str(r["method_version"]) + (" (méthode modifiée)" if r["method_changed"] else ""),
        )
    console.print(table)


def _float(value) -> float | None:
    return None if value is None or value != value else float(value)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _breakdown(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("Code")
    table.add_column("Libellé")
    table.add_column("Établissements", justify="right")
    for row in rows:
        table.add_row(row["code"], row["libelle"], french_number(row["etablissements"]))
    return table


def _rates_tables(entries: list[dict[str, Any]]) -> list[Table]:
    """One small table per indicator (fits an 80-column terminal)."""
    tables: dict[str, Table] = {}
    for e in entries:
        if e["indicateur"] not in tables:
            notes = [f"v{e['version_methode']}"]
            notes += [f"IC de {e['methode_ic']}"] if e["methode_ic"] else []
            notes += ["méthode modifiée"] if e["methode_modifiee"] else []
            tables[e["indicateur"]] = table = Table(
                title=f"{e['libelle_court']} — {e['indicateur']} ({', '.join(notes)})",
                title_justify="left",
                show_edge=False,
            )
            for column in (
                "Campagne",
                "Valeur",
                "IC 95 %",
                "Num. / dén.",
                "Publiés",
                "DI",
            ):
                table.add_column(column, justify="right", no_wrap=True)
        tables[e["indicateur"]].add_row(
            e["periode"],
            f"{french_number(e['valeur'], 1)} {e['unite']}".replace(" /", "/"),
            f"[{french_number(e['ic_bas'], 1)} ; {french_number(e['ic_haut'], 1)}]"
            if e["ic_bas"] is not None
            else "—",
            f"{french_number(e['numerateur'])} / {french_number(e['denominateur'])}",
            french_number(e["etablissements_publies"]),
            french_number(e["etablissements_donnees_insuffisantes"]),
        )
    return list(tables.values())




def _provenance(console: Console, provenance: dict[str, Any]) -> None:
    """One line per import run (readable at 80 columns), then the computations used."""
    from hospiscope.warehouse.kinds import kind_label

    runs = provenance["importations"]
    if runs:
        console.rule("Provenance")
    for run in runs:
        counts = f"{french_number(run['lignes_acceptees'])} ligne(s)"
        if run["lignes_rejetees"]:
            counts += f", {french_number(run['lignes_rejetees'])} rejet(s)"
        if run["avertissements"]:
            counts += f", {french_number(run['avertissements'])} avert."
        console.print(
            f"Lot {run['lot']} · {kind_label(run['nature'])} · {run['fichier']} · {counts}",
            highlight=False,
        )
    if runs:
        console.print(f"Importations du {runs[0]['date'][:16]} au {runs[-1]['date'][:16]}.")
    for used in provenance["calculs"]:
        console.print(
            f"Calcul n° {used['calcul']}, moteur {used['moteur']}, "
            f"{used['date']} ({french_number(used['duree_s'], 1)} s)."
        )


def show_funnel(console: Console, funnel: dict[str, Any], names: dict[str, str]) -> None:
    """A funnel plot in words (the JSON of `hospiscope funnel --json` in French): its method,
    over-dispersion and the establishments outside the 99.8 % limits."""
    console.print(
        f"[bold]{funnel['label']}[/] — période {funnel['period']} "
        f"(méthode v{funnel['method_version']})"
    )
    plot = funnel["funnel"]
    console.print(f"Méthode : {plot['method']}.")
    console.print(f"Sur-dispersion : {plot['note']}")
    console.print(
        f"{french_number(plot['n_units'])} établissement(s) avec un résultat ; référence "
        f"{french_number(plot['target'], 2)}."
    )
    units = {u["unit"]: u for u in plot["units"]}
    for flag, title in (
        ("high_998_adjusted", "Au-dessus de la limite à 99,8 % (pire qu'attendu)"),
        ("low_998_adjusted", "En dessous de la limite à 99,8 % (meilleur qu'attendu)"),
    ):
        outliers = [units[u] for u in plot["outliers"][flag]]
        table = Table(title=f"{title} : {len(outliers)}", title_justify="left")
        for column in ("FINESS", "Établissement", "Observé", "Attendu", "O/A", "z ajusté"):
            table.add_column(column, justify="left" if column == "Établissement" else "right")
        for unit in sorted(outliers, key=lambda u: -(u["z_adjusted"] or 0)):
            table.add_row(
                str(unit["unit"]),
                names.get(unit["unit"], ""),
                french_number(unit["numerator"]),
                french_number(unit["denominator"], 1),
                french_number(unit["value"], 2),
                french_number(unit["z_adjusted"], 2),
            )
        console.print(table)
