"""`hospiscope import …`: one command per source layout, each file in its own transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hospiscope.cli.common import (
    FilesArgument,
    ReportOption,
    SkipOption,
    WarehouseOption,
    err,
    errors_to_exit_codes,
    open_warehouse,
    out,
)
from hospiscope.cli.progress import RichProgress
from hospiscope.cli.render import show_outcome
from hospiscope.sources.families import tabular_imports
from hospiscope.sources.issues import write_report

import_app = typer.Typer(
    help="Importer des fichiers sources dans l'entrepôt.", no_args_is_help=True
)


def _import_files(
    importer,
    files: list[Path],
    warehouse: Path | None,
    skip_invalid: bool,
    report: Path | None,
    with_progress: bool = False,
) -> None:
    """Import each file in its own transaction, showing its outcome and its report."""
    with errors_to_exit_codes(), open_warehouse(warehouse) as wh:
        for path in files:
            with RichProgress(err) as progress:
                progress.start(f"Importation de {path.name}")
                extra = {"progress": progress} if with_progress else {}
                outcome = importer(wh, path, skip_invalid=skip_invalid, **extra)
            show_outcome(out, outcome)
            if outcome.written and outcome.written.rows_rejected:
                target = report or path.with_name(path.name + ".rejets.csv")
                write_report(outcome.written.issues, target)
                out.print(f"Rapport des lignes rejetées : {target}")


@import_app.command("registry")
def import_registry(
    files: FilesArgument,
    warehouse: WarehouseOption = None,
    skip_invalid: SkipOption = False,
    report: ReportOption = None,
    all_categories: Annotated[
        bool,
        typer.Option(
            "--toutes-categories",
            help="Garder toutes les catégories FINESS (par défaut : établissements de santé, "
            "catégories agrégées 11xx et 12xx).",
        ),
    ] = False,
) -> None:
    """Registre FINESS : export etalab, fichier GISCO ou JSON ScanSanté (détection automatique)."""
    from hospiscope import pipeline

    def importer(wh, path, **options):
        return pipeline.import_registry(wh, path, all_categories=all_categories, **options)

    _import_files(importer, files, warehouse, skip_invalid, report)


@import_app.command("esatis")
def import_esatis(
    files: FilesArgument,
    warehouse: WarehouseOption = None,
    skip_invalid: SkipOption = False,
    report: ReportOption = None,
) -> None:
    """Réponses e-Satis (un fichier par questionnaire et par campagne)."""
    from hospiscope import pipeline

    _import_files(
        pipeline.import_esatis, files, warehouse, skip_invalid, report, with_progress=True
    )


@import_app.command("esatis-results")
def import_esatis_results(
    files: FilesArgument,
    warehouse: WarehouseOption = None,
    skip_invalid: SkipOption = False,
    report: ReportOption = None,
    campaign: Annotated[
        int | None,
        typer.Option("--campagne", help="Campagne (défaut : l'année du nom du fichier)."),
    ] = None,
    questionnaire: Annotated[
        str | None, typer.Option(help="mco48h ou ca (défaut : d'après le nom du fichier).")
    ] = None,
) -> None:
    """Résultats e-Satis publiés par la HAS (format open data : « ; », virgule décimale)."""
    from hospiscope import pipeline

    def importer(wh, path, **options):
        return pipeline.import_published_results(
            wh, path, campaign=campaign, questionnaire=questionnaire, **options
        )

    _import_files(importer, files, warehouse, skip_invalid, report)


def _tabular_command(command: str, help_text: str) -> None:
    """`hospiscope import <command>` for a declared tabular layout (sources.families)."""

    def run_command(
        files: FilesArgument,
        warehouse: WarehouseOption = None,
        skip_invalid: SkipOption = False,
        report: ReportOption = None,
    ) -> None:
        from hospiscope import pipeline

        def importer(wh, path, **options):
            return pipeline.import_tabular(wh, command, path, **options)

        _import_files(importer, files, warehouse, skip_invalid, report)

    import_app.command(command, help=help_text)(run_command)


for _entry in tabular_imports().values():
    _tabular_command(_entry.command, _entry.help)
