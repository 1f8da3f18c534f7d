"""What the portal reads, and how: the registry, the results layer and the certification
decisions of a warehouse, never anything else, and never for writing.

The warehouse file is attached read-only to an in-memory DuckDB database, the portal's tables
are copied (a few MB even at national scale: the response tables are not read), and the file
is detached at once, so that the server never holds the warehouse's lock: an import or a
computation can run while the portal serves, and the portal reloads its copy when the file
changes (checked at most every `RELOAD_CHECK_SECONDS`). Requests read the copy through their
own cursor (DuckDB cursors may run in parallel threads).

`Store(..., copy=False)` is the baseline of bench/bench_portal.py: every request attaches the
file and reads it directly — the same SQL, without the copy or the page cache."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.warehouse import WarehouseError

# Tables of the warehouse the portal reads: the registry, the results layer (and what its
# source rule and staleness notice read), certification, and the compiled methods (the SQL that
# the indicator pages show).
PORTAL_TABLES = (
    "establishments",
    "capacity",
    "results",
    "computation_runs",
    "import_runs",
    "replaced_imports",
    "certification_decisions",
    "certification_criteria",
    "stratifications",
    "peer_groups",
    "schema_info",
    "method_cache",
    "ght_members",
)
# Tables a warehouse only has once something wrote them (method_cache: the first computation;
# ght_members: the first GHT composition imported);
# the copy goes without them, and their readers say that they are missing.
OPTIONAL_TABLES = frozenset({"method_cache", "ght_members"})
RELOAD_CHECK_SECONDS = 2.0


class StoreUnavailable(Exception):
    """The warehouse cannot be read now (missing, of another version, locked by a writer)."""


@dataclass(frozen=True)
class Version:
    """What identifies a state of the warehouse file: it changes whenever a writer commits."""

    stamp: tuple[float, int, float, int]
    loaded_at: float


class Store:
    def __init__(
        self,
        path: Path,
        *,
        copy: bool = True,
        derived: dict[str, str] | None = None,
        prepared: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] | None = None,
    ):
        """`derived`: tables the portal builds from the warehouse's (name: SELECT), made once
        per state of the warehouse (views of every request with `copy=False`). `prepared`:
        objects built from the copy (name: builder), once per state too, before the new state
        is served (built on every call with `copy=False`)."""
        self.path = Path(path)
        self.copy = copy
        self.derived = derived or {}
        self.builders = prepared or {}
        self._prepared: dict[str, object] = {}
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self.version: Version | None = None
        self._checked_at = 0.0
        self._check_warehouse()
        if copy:
            self._load()

    def _check_warehouse(self) -> None:
        """Refuse a missing file or a warehouse of another schema version, in French."""
        try:
            Warehouse(self.path, read_only=True).close()
        except WarehouseError as error:
            raise StoreUnavailable(str(error)) from None

    def _stamp(self) -> tuple[float, int, float, int]:
        wal = self.path.with_name(self.path.name + ".wal")
        main = self.path.stat()
        extra = wal.stat() if wal.exists() else None
        return (
            main.st_mtime,
            main.st_size,
            extra.st_mtime if extra else 0.0,
            extra.st_size if extra else 0,
        )

    def _load(self) -> None:
        stamp = self._stamp()
        con = _connect()
        try:
            con.execute(f"ATTACH '{_quoted(self.path)}' AS w (READ_ONLY)")
        except duckdb.Error as error:
            con.close()
            reason = f"lecture de l'entrepôt {self.path} impossible : {error}"
            raise StoreUnavailable(reason) from None
        try:
            tables = "SELECT table_name FROM duckdb_tables() WHERE database_name = 'w'"
            present = {row[0] for row in con.execute(tables).fetchall()}
            for table in PORTAL_TABLES:
                if table in OPTIONAL_TABLES and table not in present:
                    continue
                con.execute(f"CREATE TABLE main.{table} AS SELECT * FROM w.main.{table}")
        finally:
            con.execute("DETACH w")
        for name, select in self.derived.items():
            con.execute(f"CREATE TABLE main.{name} AS {select}")
        prepared = {name: build(con) for name, build in self.builders.items()}
        old, self._con, self._prepared = self._con, con, prepared
        self.version = Version(stamp, time.time())
        if old is not None:
            old.close()

    def refresh(self) -> None:
        """Reload the copy if the warehouse changed since (checked at most every few seconds);
        keep the current copy while a writer holds the file."""
        if not self.copy:
            return
        now = time.monotonic()
        if now - self._checked_at < RELOAD_CHECK_SECONDS:
            return
        with self._lock:
            if now - self._checked_at < RELOAD_CHECK_SECONDS:
                return
            self._checked_at = now
            try:
                if self._stamp() != self.version.stamp:
                    self._check_warehouse()
                    self._load()
            except (OSError, StoreUnavailable):
                pass  # a writer is at work: serve the last state read until it is done

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the portal's tables for one request."""
        if self.copy:
            cursor = self._con.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
            return
        con = _connect()
        try:
            con.execute(f"ATTACH '{_quoted(self.path)}' AS w (READ_ONLY)")
            con.execute("USE w")
            for name, select in self.derived.items():
                con.execute(f"CREATE TEMP VIEW {name} AS {select}")
            yield con
        finally:
            con.close()

    def prepared(self, name: str) -> object:
        """The object `name` of `prepared`, for the state being served."""
        if self.copy:
            return self._prepared[name]
        with self.cursor() as con:
            return self.builders[name](con)

    @property
    def key(self) -> object:
        """Changes whenever the copy is reloaded (the page cache is keyed by it)."""
        return self.version.stamp if self.version else None

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def _connect() -> duckdb.DuckDBPyConnection:
    """An in-memory database for the portal; DuckDB's progress bar would print on the server's
    terminal during long loads."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    return con


def _quoted(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
