"""What every `hospiscope` command shares: consoles, options, exit codes, the mapping of
errors to French messages and exit codes."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from hospiscope.catalogue.registry import UnknownIndicator
from hospiscope.cli.render import show_issues
from hospiscope.engines.base import EngineUnavailable
from hospiscope.peers.lists import PeerListError
from hospiscope.results.store import SilentMethodChange
from hospiscope.sources.issues import InvalidFile
from hospiscope.warehouse import Warehouse, default_warehouse_path
from hospiscope.warehouse.warehouse import WarehouseError

out = Console()
err = Console(stderr=True)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        "-w",
        help="Fichier de l'entrepôt DuckDB (défaut : $HOSPISCOPE_WAREHOUSE "
        "ou var/hospiscope.duckdb).",
    ),
]
SkipOption = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Importer les lignes valides et écrire les lignes rejetées dans un "
        "rapport (par défaut, un fichier invalide n'est pas importé du tout).",
    ),
]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report", help="Rapport CSV des lignes rejetées (défaut : <fichier>.rejets.csv)."
    ),
]
FilesArgument = Annotated[list[Path], typer.Argument(help="Fichiers à importer.")]

EXIT_INVALID, EXIT_WAREHOUSE, EXIT_METHOD, EXIT_ENGINE = 1, 2, 3, 4


@contextmanager
def errors_to_exit_codes():
    try:
        yield
    except InvalidFile as error:
        err.print(
            f"[red]Import refusé : {len(error.issues)} erreur(s). L'entrepôt n'a pas "
            "été modifié.[/]"
        )
        show_issues(err, error.issues)
        raise typer.Exit(EXIT_INVALID) from None
    except (PeerListError, UnknownIndicator) as error:
        err.print(f"[red]Erreur : {error}[/]")
        raise typer.Exit(EXIT_INVALID) from None
    except WarehouseError as error:
        err.print(f"[red]Entrepôt : {error}[/]")
        raise typer.Exit(EXIT_WAREHOUSE) from None
    except SilentMethodChange as error:
        err.print(f"[red]Calcul refusé : {error}[/]")
        raise typer.Exit(EXIT_METHOD) from None
    except EngineUnavailable as error:
        err.print(f"[red]Moteur indisponible : {error}[/]")
        raise typer.Exit(EXIT_ENGINE) from None


def open_warehouse(path: Path | None, read_only: bool = False) -> Warehouse:
    return Warehouse(path or default_warehouse_path(), read_only=read_only)
