"""User-defined peer lists (NHS Model Hospital's "custom peers"): any set of establishments,
named and stored. Unlike stratifications they are not exclusive."""

from __future__ import annotations

import datetime as dt

import duckdb

from hospiscope.sources.finess.numbers import finess_problem, normalise_finess


class PeerListError(ValueError):
    """A peer list cannot be created as asked (message in French, for users)."""


def create_peer_list(
    con: duckdb.DuckDBPyConnection,
    name: str,
    finess_numbers: list[str],
    description: str | None = None,
) -> int:
    """Store a named list; every number must be a valid FINESS number of the registry. The
    reasons are checked from the most basic (the name) to the data (the registry)."""
    name = name.strip()
    if not name:
        raise PeerListError("le nom de la liste est vide")
    if con.execute("SELECT count(*) FROM peer_lists WHERE name = ?", [name]).fetchall()[0][0]:
        raise PeerListError(
            f"une liste nommée « {name} » existe déjà (supprimez-la d'abord avec "
            f"`hospiscope peers delete {name}`, ou choisissez un autre nom)"
        )
    given = [normalise_finess(number) for number in finess_numbers]
    invalid = [reason for number in dict.fromkeys(given) if (reason := finess_problem(number))]
    if invalid:
        raise PeerListError("numéros FINESS invalides : " + " ; ".join(invalid))
    members = sorted(set(given))
    if len(members) < 2:
        repeated = f" ({given[0]} donné {len(given)} fois)" if len(given) > 1 else ""
        raise PeerListError(
            f"une liste de pairs compte au moins deux établissements différents{repeated}"
        )
    if not con.execute("SELECT count(*) FROM establishments").fetchall()[0][0]:
        raise PeerListError(
            "aucun registre FINESS importé dans cet entrepôt : lancez d'abord "
            "`hospiscope import registry FICHIER`"
        )
    known = {
        row[0]
        for row in con.execute(
            "SELECT finess_et FROM establishments WHERE finess_et IN (SELECT unnest(?))", [members]
        ).fetchall()
    }
    if unknown := [number for number in members if number not in known]:
        raise PeerListError(
            "établissements absents du registre : " + ", ".join(unknown)
        )
    list_id = con.execute("SELECT nextval('peer_list_ids')").fetchall()[0][0]
    con.execute(
        "INSERT INTO peer_lists VALUES (?, ?, ?, ?)",
        [list_id, name, description, dt.datetime.now()],
    )
    con.executemany(
        "INSERT INTO peer_list_members VALUES (?, ?)", [[list_id, number] for number in members]
    )
    return list_id


def delete_peer_list(con: duckdb.DuckDBPyConnection, name: str) -> None:
    row = con.execute("SELECT list_id FROM peer_lists WHERE name = ?", [name.strip()]).fetchall()
    if not row:
        names = [r[0] for r in con.execute("SELECT name FROM peer_lists ORDER BY name").fetchall()]
        known = f" (listes : {', '.join(names)})" if names else " (il n'y a aucune liste)"
        raise PeerListError(f"aucune liste nommée « {name} »{known}")
    con.execute("DELETE FROM peer_list_members WHERE list_id = ?", [row[0][0]])
    con.execute("DELETE FROM peer_lists WHERE list_id = ?", [row[0][0]])


def peer_lists(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = con.execute("""
        SELECT l.name, l.description, l.created_at, list(m.finess_et ORDER BY m.finess_et)
        FROM peer_lists l JOIN peer_list_members m USING (list_id)
        GROUP BY ALL ORDER BY l.name""").fetchall()
    return [
        {"name": r[0], "description": r[1], "created_at": r[2].isoformat(), "members": r[3]}
        for r in rows
    ]
