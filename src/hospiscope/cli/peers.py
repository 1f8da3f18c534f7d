"""`hospiscope peers …`: user-defined peer lists."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from hospiscope.cli.common import (
    WarehouseOption,
    errors_to_exit_codes,
    existing_warehouse,
    open_warehouse,
    out,
)

peers_app = typer.Typer(help="Listes de pairs définies par l'utilisateur.", no_args_is_help=True)


@peers_app.command("create")
def peers_create(
    name: Annotated[str, typer.Argument(help="Nom de la liste.", metavar="NOM")],
    finess: Annotated[
        list[str],
        typer.Argument(help="Numéros FINESS des établissements (au moins deux).", metavar="FINESS"),
    ],
    warehouse: WarehouseOption = None,
    description: Annotated[str | None, typer.Option(help="Description de la liste.")] = None,
) -> None:
    """Créer une liste de pairs nommée."""
    from hospiscope.peers import create_peer_list, peer_lists

    with errors_to_exit_codes(), existing_warehouse(warehouse) as wh:
        with wh.transaction() as con:
            create_peer_list(con, name, finess, description)
        created = next(e for e in peer_lists(wh.con) if e["name"] == name.strip())
    out.print(f"Liste « {created['name']} » créée ({len(created['members'])} établissements).")


@peers_app.command("list")
def peers_list(warehouse: WarehouseOption = None) -> None:
    """Afficher les listes de pairs."""
    from hospiscope.peers import peer_lists

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        entries = peer_lists(wh.con)
    if not entries:
        out.print(
            "Aucune liste de pairs : créez-en une avec `hospiscope peers create NOM FINESS "
            "FINESS…`."
        )
    for entry in entries:
        name = escape(entry["name"])
        out.print(f"[bold]{name}[/] ({len(entry['members'])}) : " + ", ".join(entry["members"]))


@peers_app.command("delete")
def peers_delete(
    name: Annotated[str, typer.Argument(help="Nom de la liste.", metavar="NOM")],
    warehouse: WarehouseOption = None,
) -> None:
    """Supprimer une liste de pairs."""
    from hospiscope.peers import delete_peer_list

    with errors_to_exit_codes(), existing_warehouse(warehouse) as wh, wh.transaction() as con:
        delete_peer_list(con, name)
    out.print(f"Liste « {name.strip()} » supprimée.")
