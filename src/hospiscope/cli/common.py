"""What every `hospiscope` command shares: consoles, options, exit codes, the mapping of
errors to French messages and exit codes (cli.errors).

Nothing heavy is imported here: `hospiscope --help` loads this module, and the warehouse,
the catalogue and the engines cost seconds to import (they are imported by the commands
that use them)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hospiscope.cli.consoles import err, out  # noqa: F401 — for the commands
from hospiscope.cli.errors import (  # noqa: F401 — the exit codes, for the commands
    EXIT_ENGINE,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_METHOD,
    EXIT_UNEXPECTED,
    EXIT_WAREHOUSE,
    report_known,
)

if TYPE_CHECKING:
    from hospiscope.warehouse import Warehouse


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
FilesArgument = Annotated[
    list[Path], typer.Argument(help="Fichiers à importer.", metavar="FICHIER")
]


@contextmanager
def errors_to_exit_codes():
    """A known failure inside the block becomes its French message and exit code; anything
    else (an interruption, an unexpected error) reaches cli.errors.run, which says it."""
    try:
        yield
    except Exception as error:
        code = report_known(error)
        if code is None:
            raise
        raise typer.Exit(code) from None


def open_warehouse(path: Path | None, read_only: bool = False) -> Warehouse:
    from hospiscope.warehouse import Warehouse, default_warehouse_path

    return Warehouse(path or default_warehouse_path(), read_only=read_only)


def existing_warehouse(path: Path | None) -> Warehouse:
    """The warehouse opened for writing, refused if it does not exist yet (only imports and
    the demo create one: other writers need what an import stored)."""
    from hospiscope.warehouse import default_warehouse_path

    path = path or default_warehouse_path()
    if not Path(path).exists():
        return open_warehouse(path, read_only=True)  # says "entrepôt introuvable"
    return open_warehouse(path)
