"""The `hospiscope` command. Messages are in French, failures included (cli.errors: one error
path for the whole command line, no traceback unless `--debug`). Exit codes: 0 success;
1 invalid input, nothing written (usage errors included: unknown command or option, missing
or bad value, a filter matching nothing known, an invalid file); 2 warehouse problem;
3 refused method change; 4 engine unavailable; 5 unexpected error (`--debug` shows the
traceback); 130 interrupted (Ctrl-C; the message says what was kept).

Heavy modules (warehouse, catalogue, engines, pandas) are imported by the commands that use
them, so that `hospiscope --help` answers at once."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from hospiscope.cli import filters
from hospiscope.cli.audit_view import audit_command
from hospiscope.cli.common import (
    EXIT_INVALID,
    WarehouseOption,
    err,
    errors_to_exit_codes,
    existing_warehouse,
    open_warehouse,
    out,
)
from hospiscope.cli.demo_accounts import create_demo_accounts, print_demo_accounts
from hospiscope.cli.demo_review import describe as describe_demo_review
from hospiscope.cli.demo_review import prepare_demo_review
from hospiscope.cli.errors import keep_on_interrupt
from hospiscope.cli.errors import run as run_command_line
from hospiscope.cli.imports import import_app
from hospiscope.cli.peers import peers_app
from hospiscope.cli.progress import RichProgress
from hospiscope.cli.render import (
    french_number,
    show_funnel,
    show_outcome,
    show_summary,
)
from hospiscope.cli.results_view import DEFAULT_LIMIT, result_record, show_results
from hospiscope.cli.review_cli import review_app
from hospiscope.cli.serve import DEFAULT_HOST, DEFAULT_PORT, HostOption, PortOption, serve_portal
from hospiscope.cli.users import users_app

# demo.files.DEFAULT_SEED (tests/unit/cli checks it): importing the generator costs seconds.
DEFAULT_SEED = 20_241

SourceOption = Annotated[
    str | None,
    typer.Option(
        help="calcul (calculés par hospiscope), publie (publiés importés) ou tout ; "
        "défaut : les résultats calculés, et les publiés là où une campagne n'en a pas "
        "de calculés."
    ),
]

app = typer.Typer(
    help="hospiscope : qualité et efficience des établissements de santé.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.add_typer(import_app, name="import")
app.add_typer(peers_app, name="peers")
app.add_typer(users_app, name="users")
app.add_typer(review_app, name="review")
app.command("audit")(audit_command)


@app.callback()
def _options(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="En cas d'erreur inattendue, afficher le détail (trace Python)."
        ),
    ] = False,
) -> None:
    """hospiscope : qualité et efficience des établissements de santé."""
    # `--debug` is read by cli.errors.run before the command line is parsed (it may be given
    # anywhere on the line): declared here for the help page.


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
    from hospiscope.warehouse import default_warehouse_path

    path = warehouse or default_warehouse_path()
    keep_on_interrupt(
        "les fichiers déjà importés sont gardés (relancez la même commande pour reprendre : "
        "ils ne seront pas réimportés)"
    )
    with errors_to_exit_codes(), open_warehouse(path) as wh, RichProgress(out) as progress:
        build = pipeline.build_demo(
            wh, directory or path.parent / "demo", seed=seed, scale=scale, progress=progress
        )
    for outcome in build.imports:
        show_outcome(out, outcome)
    with errors_to_exit_codes():
        for line in describe_demo_review(prepare_demo_review(path)):
            out.print(line)


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

    with errors_to_exit_codes():
        codes = filters.indicators(indicator)
    with (
        errors_to_exit_codes(),
        existing_warehouse(warehouse) as wh,
        RichProgress(out) as progress,
    ):
        computation = compute_indicators(wh, codes, engine, progress=progress)
    for code, rows in computation.rows.items():
        out.print(
            f"{code} : {french_number(rows)} résultat(s) en "
            f"{french_number(computation.seconds[code], 2)} s"
        )


@app.command()
def summary(
    warehouse: WarehouseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    source: SourceOption = None,
) -> None:
    """Synthèse nationale (lue dans les résultats enregistrés)."""
    from hospiscope.results.summary import national_summary

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        data = national_summary(wh.con, source=_source(source))
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
    source: SourceOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            help="Nombre maximal de résultats affichés (0 : tous ; défaut : "
            f"{DEFAULT_LIMIT} en texte, tous en JSON)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Un objet JSON par ligne.")] = False,
) -> None:
    """Résultats enregistrés : liste ou tableau, ou un objet JSON par résultat avec --json."""
    from hospiscope.cli.filters import result_filters
    from hospiscope.results.answer import answer

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        checked = result_filters(wh.con, indicator, finess, level)
        found = answer(
            wh.con,
            source=_source(source),
            indicator=checked.indicator,
            period=period,
            campaign=campaign,
            entity_kind="etablissement" if checked.finess else checked.level,
            entity_id=checked.finess,
        )
    frame = found.frame
    if as_json:
        rows = frame if not limit else frame.head(limit)
        write = sys.stdout.write
        for record in rows.to_dict("records"):
            write(json.dumps(result_record(record), ensure_ascii=False) + "\n")
        left_out = len(frame) - len(rows)
    else:
        left_out = show_results(out, frame, DEFAULT_LIMIT if limit is None else limit)
    notices = err if as_json else out
    if left_out:
        notices.print(
            f"… {french_number(left_out)} autre(s) résultat(s) non affiché(s) sur "
            f"{french_number(len(frame))} : précisez --indicator, --campaign, --finess ou "
            "--level, ou --limit 0 pour tout afficher."
        )
    for line in found.notices():
        notices.print(line, style="dim" if line == found.source.sentence() else "yellow")


def _source(source: str | None) -> str | None:
    """The --source asked for, checked (French error and exit 1 otherwise)."""
    from hospiscope.results.selection import UnknownSource, check_source

    try:
        return check_source(source)
    except UnknownSource as error:
        err.print(f"[red]Erreur : {error}.[/]")
        raise typer.Exit(EXIT_INVALID) from None


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
        chosen = get_indicator(filters.indicator(indicator, funnel_only=True))
        found = stored_funnel(wh.con, chosen, campaign)
        if found is None:
            err.print(
                f"[red]Pas de diagramme pour {chosen.code}, campagne {campaign} : aucun résultat "
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
        str | None,
        typer.Option(help="Région : code INSEE (84) ou nom (défaut : France entière)."),
    ] = None,
    source: SourceOption = None,
) -> None:
    """Bilan national ou régional d'une campagne : bilan.html et bilan.pdf."""
    from hospiscope.reports.bilan import build_bilan
    from hospiscope.reports.render import write_bilan

    with errors_to_exit_codes():  # before any work: a wrong region or --out said at once
        region = filters.region(region) if region else None
        filters.output_dir(out_dir)
    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        try:
            document = build_bilan(wh.con, campaign, region=region, origin=_source(source))
        except ValueError as error:
            err.print(f"[red]Bilan impossible : {error}[/]")
            raise typer.Exit(EXIT_INVALID) from None
        keep_on_interrupt(f"le bilan peut être incomplet dans {out_dir} (relancez la commande)")
        html, pdf = write_bilan(document, out_dir)
    out.print(f"Bilan écrit : {html} et {pdf}")
    for notice in document.notices:
        out.print(notice, style="yellow" if notice.startswith("Attention") else "dim")


@app.command()
def indicators(warehouse: WarehouseOption = None) -> None:
    """Catalogue des indicateurs."""
    # --warehouse is accepted (and not read) so that every command takes it. Metadata only:
    # listing the catalogue imports no computation.
    from hospiscope.catalogue import catalogue_meta

    for code, meta in catalogue_meta().items():
        out.print(f"[bold]{code}[/] v{meta.method_version} — {meta.label} ({meta.unit})")


@app.command()
def run(
    warehouse: WarehouseOption = None,
    scale: Annotated[float, typer.Option(help="Volume de la démonstration.")] = 1.0,
    serve_it: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Servir ensuite le portail.")
    ] = True,
    host: HostOption = DEFAULT_HOST,
    port: PortOption = DEFAULT_PORT,
) -> None:
    """Tâche principale : démonstration au premier lancement, synthèse nationale, puis le
    portail (Ctrl-C pour l'arrêter)."""
    from hospiscope.warehouse import default_warehouse_path

    path = warehouse or default_warehouse_path()
    made = []
    if not _has_results(path):
        # Also resumes an interrupted first run: the demo files are the same for the same
        # seed, and files already imported are skipped.
        out.print(f"Premier lancement : construction de l'entrepôt de démonstration ({path}).")
        demo(warehouse=path, directory=None, seed=DEFAULT_SEED, scale=scale)
        with errors_to_exit_codes():  # only for the demo, and shown only now
            made = create_demo_accounts(path)
    summary(warehouse=path, as_json=False)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    print_demo_accounts(made, f"http://{shown}:{port}/")
    if serve_it:
        with errors_to_exit_codes():
            serve_portal(path, host, port)


@app.command()
def serve(
    warehouse: WarehouseOption = None,
    host: HostOption = DEFAULT_HOST,
    port: PortOption = DEFAULT_PORT,
) -> None:
    """Servir le portail public et l'API ouverte sur un entrepôt (lecture seule)."""
    from hospiscope.warehouse import default_warehouse_path

    with errors_to_exit_codes():
        serve_portal(warehouse or default_warehouse_path(), host, port)


def _has_results(path: Path) -> bool:
    from hospiscope.warehouse import Warehouse

    if not path.exists():
        return False
    # Opened for writing: a warehouse of an earlier version is migrated here.
    with errors_to_exit_codes(), Warehouse(path) as wh:
        return wh.count("computation_runs") > 0


def main(argv: list[str] | None = None) -> None:
    """The `hospiscope` entry point: every failure is said in French (cli.errors)."""
    code = run_command_line(app, argv)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped reading (`… | head`): not a failure
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
