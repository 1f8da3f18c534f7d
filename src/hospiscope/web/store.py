"""What the portal reads, and how: the registry, the results layer and the certification
decisions of a warehouse, never anything else, and never for writing.

The warehouse file is attached read-only to an in-memory DuckDB database, the portal's tables
are copied (a few MB even at national scale: the response tables are not read), and the file
is detached at once, so that the server never holds the warehouse's lock: an import or a
computation can run while the portal serves, and the portal reloads its copy when the file
changes (checked at most every `RELOAD_CHECK_SECONDS`). Requests read the copy through their
own cursor (DuckDB cursors may run in parallel threads).

Two views of the results. The public one (every cursor by default) holds only what is
published (access/publication.py): `main.results` is the copy filtered by the review states of
the access database, read again whenever they change, and every table derived from it follows.
The private one (`cursor(private=True)`, for the private spaces, after the one rule) reads
`private.results`, every result, and the tables derived from it; the rest is shared.

`Store(..., copy=False)` is the baseline of bench/bench_portal.py: every request attaches the
file and reads it directly — the same SQL and the same public filter, without the copy or the
page cache."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from hospiscope.access.disclosure import DEFAULT_RULE
from hospiscope.access.publication import NOTHING_PUBLISHED, PRIVATE_FAMILIES, Publication
from hospiscope.access.result_disclosure import DENOMINATOR, NUMERATOR, person_cells
from hospiscope.results.selection import CAMPAIGN_SQL
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
log = logging.getLogger("hospiscope.web")


class StoreUnavailable(Exception):
    """The warehouse cannot be read now (missing, of another version, locked by a writer)."""


@dataclass(frozen=True)
class Version:
    """What identifies a state of the warehouse file: it changes whenever a writer commits."""

    stamp: tuple  # the file's (mtime, size, WAL mtime, WAL size) and the publication's stamp
    loaded_at: float


class Store:
    def __init__(
        self,
        path: Path,
        *,
        copy: bool = True,
        derived: dict[str, str] | None = None,
        prepared: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] | None = None,
        publication: Callable[[], Publication] | None = None,
        private_derived: tuple[str, ...] = (),
    ):
        """`derived`: tables the portal builds from the warehouse's (name: SELECT), made once
        per state of the warehouse (views of every request with `copy=False`); those named in
        `private_derived` (the ones that read results) again in the private view. `prepared`:
        objects built from the public copy (name: builder), once per state too, before the new
        state is served (built on every call with `copy=False`). `publication`: reads the
        review states (nothing computed is public without it)."""
        self.path = Path(path)
        self.copy = copy
        self.derived = derived or {}
        self.private_derived = private_derived
        self.builders = prepared or {}
        self._read_publication = publication or (lambda: NOTHING_PUBLISHED)
        self.publication = self._read_publication()
        self._computed: set[tuple[int, str]] | None = None
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

    def _file_stamp(self) -> tuple[float, int, float, int]:
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
        publication = self._read_publication()
        stamp = (self._file_stamp(), publication.stamp)
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
            con.execute("CREATE SCHEMA private")
            for table in PORTAL_TABLES:
                if table in OPTIONAL_TABLES and table not in present:
                    continue
                schema = "private" if table == "results" else "main"
                con.execute(f"CREATE TABLE {schema}.{table} AS SELECT * FROM w.main.{table}")
        finally:
            con.execute("DETACH w")
        _public_tables(con, publication, "main")
        public = public_results("private.results", "main.public_pairs", "main.person_cells")
        con.execute(f"CREATE TABLE main.results AS {public}")
        for name, select in self.derived.items():
            con.execute(f"CREATE TABLE main.{name} AS {select}")
        con.execute("SET search_path = 'private,main'")
        for name in self.private_derived:
            con.execute(f"CREATE TABLE private.{name} AS {self.derived[name]}")
        con.execute("SET search_path = 'main'")
        prepared = {name: build(con) for name, build in self.builders.items()}
        old, self._con, self._prepared = self._con, con, prepared
        self.publication = publication
        self._computed = _computed_pairs(con, "private.results")
        self.version = Version(stamp, time.time())
        if old is not None:
            old.close()

    def refresh(self, *, now: bool = False) -> None:
        """Reload the copy if the warehouse or the review states changed since (checked at
        most every few seconds, or `now`: after a review change made by this server); keep the
        current copy while a writer holds the file."""
        if not self.copy:
            self.publication = self._read_publication()
            return
        moment = time.monotonic()
        if not now and moment - self._checked_at < RELOAD_CHECK_SECONDS:
            return
        with self._lock:
            if not now and moment - self._checked_at < RELOAD_CHECK_SECONDS:
                return
            self._checked_at = moment
            try:
                stamp = (self._file_stamp(), self._read_publication().stamp)
                if stamp != self.version.stamp:
                    self._check_warehouse()
                    self._load()
            except (OSError, StoreUnavailable):
                pass  # a writer is at work: serve the last state read until it is done
            except sqlite3.Error as error:  # the access database: same, and say it
                log.warning("états de revue illisibles (%s) : dernier état lu conservé", error)

    @contextlib.contextmanager
    def cursor(self, *, private: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the portal's tables for one request: the public view, or every result
        (`private`: only for an answer the one rule allowed)."""
        if self.copy:
            cursor = self._con.cursor()
            try:
                if private:
                    cursor.execute("SET search_path = 'private,main'")
                yield cursor
            finally:
                cursor.close()
            return
        con = _connect()
        try:
            con.execute(f"ATTACH '{_quoted(self.path)}' AS w (READ_ONLY)")
            con.execute("USE w")
            if not private:  # temporary objects come first in name resolution
                _public_tables(con, self.publication, "temp")
                public = public_results("w.main.results", "temp.public_pairs", "temp.person_cells")
                con.execute(f"CREATE TEMP VIEW results AS {public}")
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
    def computed(self) -> list[tuple[int, str]]:
        """(campaign, family) of the results computed by hospiscope that go through a review
        (families private by nature left out: access/publication.py), newest first."""
        if self._computed is None:  # the baseline without copy: read when asked
            with self.cursor(private=True) as con:
                self._computed = _computed_pairs(con, "results")
        return sorted(self._computed, key=lambda pair: (-pair[0], pair[1]))

    @property
    def unpublished(self) -> list[tuple[int, str, str]]:
        """(campaign, family, state) of the computed campaigns the public does not see."""
        return self.publication.pending(self.computed)

    @property
    def key(self) -> object:
        """Changes whenever the copy is reloaded (the page cache is keyed by it)."""
        return self.version.stamp if self.version else None

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def public_results(source: str, pairs: str, cells: str) -> str:
    """The public results of `source`: HAS-published ones, those outside any campaign, and
    computed ones of a published (indicator, campaign) pair of the table `pairs`; with the
    small-count rule (access/result_disclosure.py) on the computed ones: the counts of persons
    of `cells` from 1 to threshold − 1 hidden, and the other count of the result with them
    (`counts_hidden` says so)."""
    campaign = CAMPAIGN_SQL.replace("period", "r.period")
    threshold = DEFAULT_RULE.threshold
    small = f"""r.origin = 'calcul' AND (
        (coalesce(c.numerator, TRUE) AND r.numerator > 0 AND r.numerator < {threshold})
        OR (coalesce(c.denominator, TRUE) AND r.denominator > 0
            AND r.denominator < {threshold}))"""
    return f"""SELECT * EXCLUDE (numerator, denominator, small),
            CASE WHEN small THEN NULL ELSE numerator END AS numerator,
            CASE WHEN small THEN NULL ELSE denominator END AS denominator,
            small AS counts_hidden
        FROM (SELECT r.*, coalesce({small}, FALSE) AS small FROM {source} r
            LEFT JOIN {cells} c ON c.indicator_code = r.indicator_code
            WHERE r.origin <> 'calcul' OR {campaign} IS NULL
            OR EXISTS (SELECT 1 FROM {pairs} p WHERE p.indicator_code = r.indicator_code
                       AND p.campaign = {campaign}))"""


def _public_tables(con: duckdb.DuckDBPyConnection, publication: Publication, schema: str) -> None:
    """The tables of the public filter: published (indicator_code, campaign) pairs, and which
    cells of each indicator's results count persons."""
    from hospiscope.catalogue import catalogue_meta

    metas = catalogue_meta()
    families = {code: meta.domain for code, meta in metas.items()}
    pairs = pd.DataFrame(
        publication.public_pairs(families), columns=["indicator_code", "campaign"]
    ).astype({"indicator_code": "string", "campaign": "int32"})
    cells = pd.DataFrame(
        [(code, NUMERATOR in found, DENOMINATOR in found)
         for code in metas if (found := person_cells(code)) is not None],
        columns=["indicator_code", "numerator", "denominator"],
    ).astype({"indicator_code": "string", "numerator": "bool", "denominator": "bool"})  # fmt: skip
    temporary = "TEMP " if schema == "temp" else ""
    for name, frame in (("public_pairs", pairs), ("person_cells", cells)):
        con.register("frame", frame)
        con.execute(f"CREATE {temporary}TABLE {schema}.{name} AS SELECT * FROM frame")
        con.unregister("frame")


def _computed_pairs(con: duckdb.DuckDBPyConnection, table: str) -> set[tuple[int, str]]:
    """The (campaign, family) pairs that have results computed by hospiscope in `table`."""
    from hospiscope.catalogue import catalogue_meta

    meta = catalogue_meta()
    rows = con.execute(
        f"SELECT DISTINCT indicator_code, {CAMPAIGN_SQL} FROM {table} WHERE origin = 'calcul'"
    ).fetchall()
    return {
        (year, meta[code].domain)
        for code, year in rows
        if year is not None and code in meta and meta[code].domain not in PRIVATE_FAMILIES
    }


def _connect() -> duckdb.DuckDBPyConnection:
    """An in-memory database for the portal; DuckDB's progress bar would print on the server's
    terminal during long loads."""
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    return con


def _quoted(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
