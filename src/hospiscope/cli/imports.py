"""`hospiscope import …`: one command per source layout, each file in its own transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import typer.core
from typer.models import CommandInfo

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
from hospiscope.cli.errors import keep_on_interrupt
from hospiscope.cli.progress import RichProgress
from hospiscope.cli.render import show_outcome


class _ImportGroup(typer.core.TyperGroup):
    """`hospiscope import`, with the commands of the tabular layouts added when the group's
    commands are first looked at: discovering them (sources.families) imports every source
    reader (NumPy, DuckDB, pyproj: ~0.4 s), which `hospiscope --help` does not need."""

    def _add_tabular_commands(self) -> None:
        if getattr(self, "_tabular_added", False):
            return
        self._tabular_added = True
        from typer.main import get_command_from_info

        from hospiscope.sources.families import tabular_imports

        for entry in tabular_imports().values():
            info = _tabular_command(entry.command, entry.help, bool(entry.scope))
            self.add_command(
                get_command_from_info(
                    info, pretty_exceptions_short=True, rich_markup_mode=self.rich_markup_mode
                )
            )

    def list_commands(self, ctx) -> list[str]:
        self._add_tabular_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx, cmd_name: str):
        self._add_tabular_commands()
        return super().get_command(ctx, cmd_name)


import_app = typer.Typer(
    help="Importer des fichiers sources dans l'entrepôt.", no_args_is_help=True, cls=_ImportGroup
)
ReplaceOption = Annotated[
    bool,
    typer.Option(
        "--remplace",
        help="Le fichier corrige celui déjà importé pour la même campagne : il le remplace "
        "(par défaut, un second fichier différent pour une campagne déjà importée est refusé).",
    ),
]


def _import_files(
    importer,
    files: list[Path],
    warehouse: Path | None,
    skip_invalid: bool,
    report: Path | None,
    with_progress: bool = False,
    replace: bool | None = None,
    note=None,
) -> None:
    """Import each file in its own transaction, showing its outcome and its report.
    `replace`: None for an importer without the option."""
    from hospiscope.sources.issues import write_report

    imported: list[str] = []  # committed: kept if a later file is interrupted
    with errors_to_exit_codes(), open_warehouse(warehouse) as wh:
        for path in files:
            with RichProgress(err, transient=True) as progress:
                progress.start(f"Importation de {path.name}")
                extra = {"progress": progress} if with_progress else {}
                if replace is not None:
                    extra["replace"] = replace
                outcome = importer(wh, path, skip_invalid=skip_invalid, **extra)
            if not outcome.skipped:
                imported.append(path.name)
                keep_on_interrupt("fichier(s) importé(s) et gardé(s) : " + ", ".join(imported))
            show_outcome(out, outcome)
            if note:  # what a command adds to the outcome (e.g. keys kept unmapped)
                note(outcome)
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
            "catégories agrégées 11xx et 12xx, et hôpitaux des armées, 2205).",
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
    replace: ReplaceOption = False,
) -> None:
    """Réponses e-Satis (un fichier par questionnaire et par campagne)."""
    from hospiscope import pipeline

    _import_files(
        pipeline.import_esatis,
        files,
        warehouse,
        skip_invalid,
        report,
        with_progress=True,
        replace=replace,
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
    replace: ReplaceOption = False,
) -> None:
    """Résultats e-Satis publiés par la HAS (format open data : « ; », virgule décimale)."""
    from hospiscope import pipeline

    def importer(wh, path, **options):
        return pipeline.import_published_results(
            wh, path, campaign=campaign, questionnaire=questionnaire, **options
        )

    _import_files(importer, files, warehouse, skip_invalid, report, replace=replace)


@import_app.command("bqss")
def import_bqss(
    files: FilesArgument,
    warehouse: WarehouseOption = None,
    skip_invalid: SkipOption = False,
    report: ReportOption = None,
    replace: ReplaceOption = False,
) -> None:
    """Open data HAS au format BQSS : valeurs, métadonnées, établissements (détection
    automatique ; les métadonnées sont importées en premier)."""
    from hospiscope import pipeline
    from hospiscope.sources.bqss.layout import import_order

    def note(outcome) -> None:
        meta = outcome.written.metadata if outcome.written else {}
        if meta.get("cles_non_reconnues"):
            out.print(
                f"  {meta['cles_non_reconnues']} clé(s) non reconnue(s) "
                f"({meta['lignes_non_reconnues']} ligne(s)) conservée(s) telle(s) quelle(s) "
                f"(table bqss_raw_values), par exemple : "
                f"{', '.join(meta['exemples_cles_non_reconnues'][:5])}"
            )

    _import_files(
        pipeline.import_bqss,
        import_order(files),
        warehouse,
        skip_invalid,
        report,
        note=note,
        replace=replace,
    )


@import_app.command("ght")
def import_ght(
    files: FilesArgument,
    warehouse: WarehouseOption = None,
    skip_invalid: SkipOption = False,
    report: ReportOption = None,
) -> None:
    """Composition des GHT (groupements hospitaliers de territoire) : elle remplace la
    composition enregistrée (y compris celle supposée par la démonstration)."""
    from hospiscope import pipeline

    def note(outcome) -> None:
        meta = outcome.written.metadata if outcome.written else {}
        if "ght" in meta:
            out.print(
                f"  {meta['ght']} GHT, {meta['membres']} membre(s) — {meta['origine_libelle']}."
            )

    _import_files(pipeline.import_ght, files, warehouse, skip_invalid, report, note=note)


def _tabular_command(command: str, help_text: str, replaceable: bool) -> CommandInfo:
    """`hospiscope import <command>` for a declared tabular layout (sources.families);
    `--remplace` for the families with campaigns (not for reference data: capacities)."""

    def run(files, warehouse, skip_invalid, report, replace=None) -> None:
        from hospiscope import pipeline

        def importer(wh, path, **options):
            return pipeline.import_tabular(wh, command, path, **options)

        _import_files(importer, files, warehouse, skip_invalid, report, replace=replace)

    def run_command(
        files: FilesArgument,
        warehouse: WarehouseOption = None,
        skip_invalid: SkipOption = False,
        report: ReportOption = None,
    ) -> None:
        run(files, warehouse, skip_invalid, report)

    def run_replaceable(
        files: FilesArgument,
        warehouse: WarehouseOption = None,
        skip_invalid: SkipOption = False,
        report: ReportOption = None,
        replace: ReplaceOption = False,
    ) -> None:
        run(files, warehouse, skip_invalid, report, replace)

    return CommandInfo(
        command, help=help_text, callback=run_replaceable if replaceable else run_command
    )
