"""The access database: a SQLite file beside the warehouse, `<warehouse stem>-acces.sqlite`,
holding accounts, API tokens, sessions and the audit trail (and, later, review states).

Why not the warehouse: the web server writes here at every sign-in and every private access
(many small concurrent writes, from several threads), while it reads the warehouse read-only
and an import may hold the warehouse's write lock for minutes; DuckDB is made for analytics
and allows one writer per file. SQLite in WAL mode lets readers go on while one short
transaction writes. The file is created readable by its owner only (it holds password and
token digests); it is never the warehouse file itself.

Each storing module defines `SCHEMA` (idempotent DDL): the modules of `SCHEMA_MODULES` are
applied at every opening, so a module added in a later version gets its tables on the first
opening by that version. A change to an existing table goes through `MIGRATIONS` and
`SCHEMA_VERSION`."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from hospiscope.access import accounts, audit, lever_status, review, sessions, tokens
from hospiscope.access.clock import to_text, utc_now

SCHEMA_VERSION = 1
# Statements bringing a database from the previous version to each version.
MIGRATIONS: dict[int, list[str]] = {}
# In dependency order (tokens and sessions refer to accounts).
SCHEMA_MODULES = (accounts, tokens, sessions, audit, review, lever_status)
SUFFIX = "-acces.sqlite"
BUSY_TIMEOUT_MS = 5_000  # a writer waits this long for another's transaction to end
_SQLITE_HEADER = b"SQLite format 3\x00"
_SCHEMA_INFO = """
CREATE TABLE IF NOT EXISTS schema_info (
    schema_version INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
"""


class AccessDatabaseError(Exception):
    """The access database cannot be opened or is not one of this version (French)."""


def access_path(warehouse_path: Path | str) -> Path:
    """`var/hospiscope.duckdb` → `var/hospiscope-acces.sqlite`."""
    warehouse = Path(warehouse_path)
    return warehouse.with_name(warehouse.stem + SUFFIX)


class AccessDatabase:
    """The access database at `path`, created if absent. Writers use `transaction()`."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        _refuse_foreign_file(self.path)
        _create_private(self.path)
        try:
            self.con = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=5
            )
            self.con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.con.execute("PRAGMA journal_mode = WAL")
            self.con.execute("PRAGMA foreign_keys = ON")
            self._ensure_schema()
        except sqlite3.DatabaseError as error:
            raise AccessDatabaseError(f"ouverture de {self.path} impossible : {error}") from None

    def _ensure_schema(self) -> None:
        with self.transaction() as con:
            version = _stored_version(con, self.path)
            if version is None:
                con.execute(_SCHEMA_INFO)
                con.execute(
                    "INSERT INTO schema_info VALUES (?, ?)", [SCHEMA_VERSION, to_text(utc_now())]
                )
            elif version != SCHEMA_VERSION:
                _migrate(con, version, self.path)
            for module in SCHEMA_MODULES:
                for statement in _statements(module.SCHEMA):
                    con.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction: committed at the end of the block, rolled back if it
        raises. BEGIN IMMEDIATE takes the write lock at once, so two writers queue instead of
        failing at their first write."""
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> AccessDatabase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _refuse_foreign_file(path: Path) -> None:
    """Never write into a file that is not SQLite (the warehouse, above all)."""
    if path.suffix.lower() == ".duckdb":
        raise AccessDatabaseError(
            f"{path} : la base d'accès ne peut pas être un fichier DuckDB (l'entrepôt) ; "
            f"elle se nomme <entrepôt>{SUFFIX}"
        )
    if path.is_dir():
        raise AccessDatabaseError(f"{path} est un dossier, pas une base d'accès")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as file:
            if file.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                raise AccessDatabaseError(
                    f"{path} n'est pas une base d'accès hospiscope (fichier non SQLite)"
                )


def _create_private(path: Path) -> None:
    """Create an absent file readable and writable by its owner only (SQLite gives its WAL
    and shared-memory files the same permissions)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):  # created meanwhile by another process
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _stored_version(con: sqlite3.Connection, path: Path) -> int | None:
    """The schema version of the file; None for a new (empty) file."""
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "schema_info" not in tables:
        if tables:
            raise AccessDatabaseError(
                f"{path} n'est pas une base d'accès hospiscope (tables : "
                f"{', '.join(sorted(tables))})"
            )
        return None
    row = con.execute("SELECT max(schema_version) FROM schema_info").fetchone()
    return row[0] if row and row[0] is not None else None


def _migrate(con: sqlite3.Connection, version: int, path: Path) -> None:
    if version > SCHEMA_VERSION:
        raise AccessDatabaseError(
            f"{path} est une base d'accès de version {version}, plus récente que ce "
            f"hospiscope (version {SCHEMA_VERSION}) : mettez hospiscope à jour"
        )
    missing = [v for v in range(version + 1, SCHEMA_VERSION + 1) if v not in MIGRATIONS]
    if missing:
        raise AccessDatabaseError(
            f"{path} est une base d'accès de version {version} que ce hospiscope (version "
            f"{SCHEMA_VERSION}) ne sait pas mettre à jour"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[target]:
            con.execute(statement)
        con.execute("UPDATE schema_info SET schema_version = ?", [target])


def _statements(script: str) -> list[str]:
    """The statements of a module's SCHEMA (`executescript` would commit the transaction),
    triggers kept whole."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
