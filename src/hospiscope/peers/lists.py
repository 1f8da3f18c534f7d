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
    """Store a named list; every number must be a valid FINESS number of the registry."""
    members = sorted({normalise_finess(number) for number in finess_numbers})
    if not name.strip():
        raise PeerListError("le nom de la liste est vide")
    if len(members) < 2:
        raise PeerListError("une liste de pairs compte au moins deux établissements")
    invalid = [f"{number} ({reason})" for number in members if (reason := finess_problem(number))]
    if invalid:
        raise PeerListError("numéros FINESS invalides : " + ", ".join(invalid))
    known = {
        row[0]
        for row in con.execute(
            "SELECT finess_et FROM establishments WHERE finess_et IN (SELECT unnest(?))", [members]
        ).fetchall()
    }
    if unknown := [number for number in members if number not in known]:
        raise PeerListError("établissements absents du registre : " + ", ".join(unknown))
    if con.execute("SELECT count(*) FROM peer_lists WHERE name = ?", [name]).fetchall()[0][0]:
        raise PeerListError(f"une liste nommée « {name} » existe déjà")
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
    row = con.execute("SELECT list_id FROM peer_lists WHERE name = ?", [name]).fetchall()
    if not row:
        raise PeerListError(f"aucune liste nommée « {name} »")
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
