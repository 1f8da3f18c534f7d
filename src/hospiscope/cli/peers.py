"""`hospiscope peers …`: user-defined peer lists."""

from __future__ import annotations

from typing import Annotated

import typer

from hospiscope.cli.common import WarehouseOption, errors_to_exit_codes, open_warehouse, out

peers_app = typer.Typer(help="Listes de pairs définies par l'utilisateur.", no_args_is_help=True)


@peers_app.command("create")
def peers_create(
    name: str,
    finess: Annotated[list[str], typer.Argument()],
    warehouse: WarehouseOption = None,
    description: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Créer une liste de pairs nommée."""
    from hospiscope.peers import create_peer_list

    with errors_to_exit_codes(), open_warehouse(warehouse) as wh, wh.transaction() as con:
        create_peer_list(con, name, finess, description)
    out.print(f"Liste « {name} » créée ({len(set(finess))} établissements).")


@peers_app.command("list")
def peers_list(warehouse: WarehouseOption = None) -> None:
    """Afficher les listes de pairs."""
    from hospiscope.peers import peer_lists

    with errors_to_exit_codes(), open_warehouse(warehouse, read_only=True) as wh:
        for entry in peer_lists(wh.con):
            out.print(
                f"[bold]{entry['name']}[/] ({len(entry['members'])}) : "
                + ", ".join(entry["members"])
            )


@peers_app.command("delete")
def peers_delete(name: str, warehouse: WarehouseOption = None) -> None:
    """Supprimer une liste de pairs."""
    from hospiscope.peers import delete_peer_list

    with errors_to_exit_codes(), open_warehouse(warehouse) as wh, wh.transaction() as con:
        delete_peer_list(con, name)
    out.print(f"Liste « {name} » supprimée.")
