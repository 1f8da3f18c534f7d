"""Opening the warehouse, creating its schema, and running work in one transaction."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from hospiscope.warehouse.esatis_schema import esatis_table_ddl
from hospiscope.warehouse.results_schema import results_table_ddl

SCHEMA_VERSION = 3
# Statements bringing a warehouse from the previous version to each version.
MIGRATIONS = {
    2: [
        "ALTER TABLE results ADD COLUMN IF NOT EXISTS details JSON",
        "ALTER TABLE results ADD COLUMN IF NOT EXISTS origin VARCHAR DEFAULT 'calcul'",
        "ALTER TABLE results ALTER COLUMN computation_id DROP NOT NULL",
    ],
    # Computations record the import runs they saw (staleness of results is then said).
    3: ["ALTER TABLE computation_runs ADD COLUMN IF NOT EXISTS import_runs_seen INTEGER[]"],
}
DEFAULT_PATH = Path("var/hospiscope.duckdb")
ENV_VARIABLE = "HOSPISCOPE_WAREHOUSE"


def default_warehouse_path() -> Path:
    """$HOSPISCOPE_WAREHOUSE, else var/hospiscope.duckdb under the current directory."""
    return Path(os.environ.get(ENV_VARIABLE, DEFAULT_PATH))


def _family_schemas():
    """The tables of each indicator family (`warehouse/schemas/<family>.sql`)."""
    folder = resources.files("hospiscope.warehouse").joinpath("schemas")
    return [entry for entry in folder.iterdir() if entry.name.endswith(".sql")]


class WarehouseError(Exception):
    """The warehouse cannot be opened or is not a hospiscope warehouse."""


class Warehouse:
    """An embedded DuckDB file holding imports, reference data and results.

    Writers use `transaction()`: either everything in the block is committed or nothing is
    (DuckDB's WAL guarantees that a killed process leaves the last committed state).
    """

    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise WarehouseError(
                f"entrepôt introuvable : {self.path} (lancez `hospiscope demo` ou une importation)"
            )
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as error:
            raise WarehouseError(
                f"ouverture de l'entrepôt {self.path} impossible : {error}"
            ) from None
        if not read_only:
            self._ensure_schema()
        self._refuse_other_versions()

    def _ensure_schema(self) -> None:
        script = resources.files("hospiscope.warehouse").joinpath("schema.sql").read_text("utf-8")
        fresh = not self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_info'"
        ).fetchall()[0][0]
        with self.transaction():
            if not fresh:
                self._migrate()
            self.con.execute(script)
            self.con.execute(results_table_ddl())
            self.con.execute(esatis_table_ddl())
            for family in sorted(_family_schemas()):
                self.con.execute(family.read_text("utf-8"))
            if self.con.execute("SELECT count(*) FROM schema_info").fetchall()[0][0] == 0:
                self.con.execute("INSERT INTO schema_info VALUES (?)", [SCHEMA_VERSION])

    def _migrate(self) -> None:
        """Bring an older warehouse to SCHEMA_VERSION, one version at a time."""
        version = self.con.execute("SELECT max(version) FROM schema_info").fetchall()[0][0]
        for target in range((version or SCHEMA_VERSION) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[target]:
                self.con.execute(statement)
            self.con.execute("UPDATE schema_info SET version = ?", [target])

    def _refuse_other_versions(self) -> None:
        try:
            row = self.con.execute("SELECT max(version) FROM schema_info").fetchall()[0]
        except duckdb.CatalogException:
            raise WarehouseError(f"{self.path} n'est pas un entrepôt hospiscope") from None
        if row[0] is not None and row[0] < SCHEMA_VERSION:
            # Only a writer migrates (read-only opens, e.g. `summary`, cannot).
            raise WarehouseError(
                f"{self.path} a été créé par une version antérieure de hospiscope (schéma "
                f"{row[0]}, actuel : {SCHEMA_VERSION}) ; toute commande qui écrit dans "
                "l'entrepôt le met à jour, par exemple `hospiscope compute`"
            )
        if row[0] != SCHEMA_VERSION:
            raise WarehouseError(
                f"version de schéma {row[0]} non prise en charge (attendue : {SCHEMA_VERSION} ; "
                "entrepôt créé par une version plus récente de hospiscope ?)"
            )

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def count(self, table: str) -> int:
        return self.con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
