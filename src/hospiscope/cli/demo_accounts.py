"""Demo accounts, one per role, made by `hospiscope run` when it builds the demo: each with a
random password printed once (never a default password: none is shipped, and outside the demo
accounts are only made with `hospiscope users add`). Their scope is taken from the demo
warehouse: the establishment with the most results, its GHT (or, when it belongs to none, the
largest GHT of its region), its region."""

from __future__ import annotations

import secrets
from pathlib import Path

from rich.table import Table

from hospiscope.cli.access_support import audited_change
from hospiscope.cli.common import out

PREFIX = "demo."
ROLES = ("etablissement", "ght", "ars", "national", "admin")


def demo_scopes(warehouse: Path) -> dict[str, list[str]]:
    """role → scope of its demo account."""
    from hospiscope.warehouse import Warehouse

    with Warehouse(warehouse, read_only=True) as wh:
        finess, region = wh.con.execute(
            """SELECT r.entity_id, e.region_code FROM results r
            JOIN establishments e ON e.finess_et = r.entity_id
            WHERE r.entity_kind = 'etablissement' AND e.region_code IS NOT NULL
            GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1"""
        ).fetchall()[0]
        tables = {r[0] for r in wh.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        ght = None
        if "ght_members" in tables:
            # Its GHT; else (a private establishment belongs to none) a GHT of its region.
            found = wh.con.execute(
                """SELECT m.ght_code FROM ght_members m
                LEFT JOIN establishments e ON e.finess_et = m.finess_et
                GROUP BY m.ght_code
                ORDER BY bool_or(m.finess_et = ?) DESC, bool_or(e.region_code = ?) DESC,
                    count(*) DESC, m.ght_code LIMIT 1""",
                [finess, region],
            ).fetchall()
            ght = found[0][0] if found else None
    scopes = {"etablissement": [finess], "ars": [region], "national": [], "admin": []}
    if ght is not None:
        scopes["ght"] = [ght]
    return scopes


def create_demo_accounts(warehouse: Path) -> list[tuple[str, str, list[str], str]]:
    """(login, role, scope, password) of the demo accounts made now (none if they exist)."""
    from hospiscope.access import audit
    from hospiscope.access.accounts import add_account, list_accounts
    from hospiscope.access.database import AccessDatabase, access_path

    made = []
    with AccessDatabase(access_path(warehouse)) as db:
        with db.transaction() as con:
            if any(a.login.startswith(PREFIX) for a in list_accounts(con)):
                return []
        for role, scope in demo_scopes(warehouse).items():
            login, password = f"{PREFIX}{role}", secrets.token_urlsafe(12)

            def work(con, now, login=login, role=role, scope=scope, password=password):
                name = f"Démonstration ({role})"
                account = add_account(con, login, role, scope, password, now, display_name=name)
                return account, {"role": role, "perimetre": scope, "demonstration": True}

            audited_change(db, audit.ACCOUNT_ADD, login, work)
            made.append((login, role, scope, password))
    return made


def print_demo_accounts(made: list[tuple[str, str, list[str], str]], address: str) -> None:
    if not made:
        return
    table = Table(title="Comptes de démonstration (mots de passe affichés une seule fois)")
    for column in ("identifiant", "rôle", "périmètre", "mot de passe"):
        table.add_column(column)
    for login, role, scope, password in made:
        table.add_row(login, role, ", ".join(scope) or "—", password)
    out.print(table)
    out.print(
        f"Connexion : {address}connexion. Autres comptes : `hospiscope users add` ; "
        "nouveau mot de passe : `hospiscope users password IDENTIFIANT`."
    )
