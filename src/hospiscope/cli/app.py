"""The `hospiscope` command. Messages are in French; exit codes: 0 success, 1 invalid input
(nothing was written), 2 warehouse problem, 3 refused method change, 4 engine unavailable."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from hospiscope.catalogue import catalogue
from hospiscope.cli.common import (
    EXIT_INVALID,
    WarehouseOption,
    err,
    errors_to_exit_codes,
    open_warehouse,
    out,
)
from hospiscope.cli.imports import import_app
from hospiscope.cli.peers import peers_app
from hospiscope.cli.progress import RichProgress
from hospiscope.cli.render import (
    show_funnel,
    show_outcome,
    show_results,
    show_summary,
)
from hospiscope.demo.files import DEFAULT_SEED
from hospiscope.warehouse import Warehouse, default_warehouse_path

app = typer.Typer(
    help="hospiscope : qualité et efficience des établissements de santé.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.add_typer(import_app, name="import")
app.add_typer(peers_app, name="peers")


@app.command()
def demo(
    warehouse: WarehouseOption = None,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Dossier des fichiers de démonstration (défaut : à côté de l'entrepôt)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Graine du générateur.")] = DEFAULT_SEED,
    scale: Annotated[
        float,
        typer.Option(help="Part du volume national de réponses (1 = 1,35 million par campagne)."),
    ] = 1.0,
) -> None:
    """Construire l'entrepôt de démonstration : registre réel, données simulées calibrées."""
    from hospiscope import pipeline

    path = warehouse or default_warehouse_path()
    with errors_to_exit_codes(), open_warehouse(path) as wh, RichProgress(out) as progress:
        build = pipeline.build_demo(
            wh, directory or path.parent / "demo", seed=seed, scale=scale, progress=progress
        )
    for outcome in build.imports:
        show_outcome(out, outcome)


@app.command()
def compute(
    warehouse: WarehouseOption = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", "-i", help="Code d'indicateur (répétable ; défaut : tous)."),
    ] = None,
    engine: Annotated[
        str, typer.Option(help="Moteur de calcul : duckdb, polars ou spark.")
    ] = "duckdb",
) -> None:
    """Calculer les indicateurs et enregistrer leurs résultats."""
    from hospiscope.results.compute import compute_indicators

    with errors_to_exit_codes(), open_warehouse(warehouse) as wh, RichProgress(out) as progress:
        computation = compute_indicators(wh, indicator, engine, progress=progress)
    for code, rows in computation.rows.items():
        out.print(f"{code} : {rows} résultat(s) en {computation.seconds[code]:.2f} s")


@app.command()
def summary(
    warehouse: WarehouseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Synthèse nationale (lue dans les résultats enregistrés)."""
    from hospiscope.results.summary import national_summary

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        data = national_summary(wh.con)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        show_summary(out, data)


@app.command()
def results(
    warehouse: WarehouseOption = None,
    indicator: Annotated[str | None, typer.Option(help="Code d'indicateur.")] = None,
    campaign: Annotated[
        int | None,
        typer.Option("--campaign", "--campagne", help="Campagne (année ; saison qui s'y termine)."),
    ] = None,
    period: Annotated[str | None, typer.Option(help="Période exacte (2024, 2023-2024…).")] = None,
    finess: Annotated[str | None, typer.Option(help="Numéro FINESS.")] = None,
    level: Annotated[
        str | None, typer.Option(help="Niveau : etablissement, national, region…")
    ] = None,
    source: Annotated[
        str, typer.Option(help="calcul (calculés par hospiscope) ou publie (importés).")
    ] = "calcul",
    as_json: Annotated[bool, typer.Option("--json", help="Un objet JSON par ligne.")] = False,
) -> None:
    """Résultats enregistrés : tableau, ou un objet JSON par résultat avec --json."""
    from hospiscope.results.store import read_results

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        frame = read_results(
            wh.con,
            indicator=indicator,
            period=period,
            campaign=campaign,
            entity_kind="etablissement" if finess else level,
            entity_id=finess,
            origin=source,
        )
    if as_json:
        for record in frame.to_dict("records"):
            sys.stdout.write(json.dumps(_result_record(record), ensure_ascii=False) + "\n")
    else:
        show_results(out, frame)


def _result_record(record: dict) -> dict:
    """A stored result as JSON, with the establishment's FINESS and the campaign spelled out."""
    clean = _jsonable(record)
    is_establishment = clean["entity_kind"] == "etablissement"
    period = str(clean["period"])
    campaign = period.rsplit("-", 1)[-1]
    return {
        "finess": clean["entity_id"] if is_establishment else None,
        "indicator": clean["indicator_code"],
        "campaign": int(campaign) if campaign.isdigit() else None,
        **clean,
    }


def _jsonable(record: dict) -> dict:
    clean = {}
    for key, value in record.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "tolist"):
            value = value.tolist()
        elif isinstance(value, float) and value != value:
            value = None
        clean[key] = value
    return clean


@app.command()
def funnel(
    indicator: Annotated[str, typer.Option(help="Code d'un indicateur O/A (ISO_PTH, ISO_PTG).")],
    campaign: Annotated[int, typer.Option("--campaign", "--campagne", help="Campagne (année).")],
    warehouse: WarehouseOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Le diagramme complet en un objet JSON.")
    ] = False,
) -> None:
    """Diagramme en entonnoir d'un indicateur O/A : limites, sur-dispersion, points hors limites."""
    from hospiscope.catalogue import get_indicator
    from hospiscope.results.funnels import stored_funnel

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        chosen = get_indicator(indicator)
        if chosen.funnel is None:
            err.print(f"[red]{indicator} n'est pas jugé sur un diagramme en entonnoir.[/]")
            raise typer.Exit(EXIT_INVALID)
        found = stored_funnel(wh.con, chosen, campaign)
        if found is None:
            err.print(
                f"[red]Pas de diagramme pour {indicator}, campagne {campaign} : aucun résultat "
                f"calculé ou moins de {chosen.funnel.min_units} établissements avec un "
                "résultat.[/]"
            )
            raise typer.Exit(EXIT_INVALID)
        names = dict(wh.con.execute("SELECT finess_et, name FROM establishments").fetchall())
    period, result = found
    record = {
        "indicator": chosen.code,
        "label": chosen.meta.label,
        "period": period,
        "method_version": chosen.meta.method_version,
        "assumptions": list(chosen.meta.assumptions),
        "funnel": result.to_dict(),
    }
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        show_funnel(out, record, names)


@app.command()
def bilan(
    campaign: Annotated[int, typer.Option("--campaign", "--campagne", help="Campagne.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Dossier de sortie.")],
    warehouse: WarehouseOption = None,
    region: Annotated[
        str | None, typer.Option(help="Code INSEE de la région (défaut : France entière).")
    ] = None,
    source: Annotated[
        str,
        typer.Option(
            help="calcul (résultats calculés par hospiscope) ou "
            "publie (résultats publiés importés)."
        ),
    ] = "calcul",
) -> None:
    """Bilan national ou régional d'une campagne : bilan.html et bilan.pdf."""
    from hospiscope.reports.bilan import generate_bilan

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        try:
            html, pdf = generate_bilan(wh.con, campaign, out_dir, region=region, origin=source)
        except ValueError as error:
            err.print(f"[red]Bilan impossible : {error}[/]")
            raise typer.Exit(EXIT_INVALID) from None
    out.print(f"Bilan écrit : {html} et {pdf}")


@app.command()
def indicators() -> None:
    """Catalogue des indicateurs."""
    for code, indicator in catalogue().items():
        meta = indicator.meta
        out.print(f"[bold]{code}[/] v{meta.method_version} — {meta.label} ({meta.unit})")


@app.command()
def run(
    warehouse: WarehouseOption = None,
    scale: Annotated[float, typer.Option(help="Volume de la démonstration.")] = 1.0,
) -> None:
    """Tâche principale : démonstration au premier lancement, puis synthèse nationale."""
    path = warehouse or default_warehouse_path()
    if not _has_results(path):
        # Also resumes an interrupted first run: the demo files are the same for the same
        # seed, and files already imported are skipped.
        out.print(f"Premier lancement : construction de l'entrepôt de démonstration ({path}).")
        demo(warehouse=path, directory=None, seed=DEFAULT_SEED, scale=scale)
    summary(warehouse=path, as_json=False)


def _has_results(path: Path) -> bool:
    if not path.exists():
        return False
    # Opened for writing: a warehouse of an earlier version is migrated here.
    with errors_to_exit_codes(), Warehouse(path) as wh:
        return wh.count("computation_runs") > 0


def main() -> None:
    app()
