"""DuckDB, the default engine: reads the warehouse in place, without copying, and pools an
indicator's levels in the query that computes it."""

from __future__ import annotations

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from hospiscope.catalogue.model import Indicator
from hospiscope.engines.base import Engine
from hospiscope.engines.levels import (
    GROUPS_TABLE,
    level_groups_sql,
    pooled_sql,
    registry_levels,
)
from hospiscope.engines.registry_pool import RegistryPool

_GROUP_SOURCES = ("establishments", "peer_groups")


class DuckDBEngine(Engine):
    name = "duckdb"
    label = "DuckDB (intégré)"
    pools_in_sql = True

    def __init__(self) -> None:
        self._memory: duckdb.DuckDBPyConnection | None = None
        self._con: duckdb.DuckDBPyConnection | None = None  # the connection SQL runs on
        self._backend = None  # its Ibis backend, made when an Ibis table is asked for
        self._registered: list[str] = []  # views of Arrow tables
        self._temporary: list[str] = []  # tables this engine created in the connection
        self._groups: tuple[bool, bool] | None = None  # GROUPS_TABLE's sources, once built

    def _ensure_backend(self):
        if self._backend is None:
            self._backend = ibis.duckdb.from_connection(self.con)
        return self._backend

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._memory = self._con = duckdb.connect()
        return self._con

    def load(self, tables: dict[str, pa.Table]) -> dict[str, ir.Table]:
        # Temporary tables: in the warehouse connection they vanish with it and are never
        # written to the file.
        backend = self._ensure_backend()
        if set(tables) & set(_GROUP_SOURCES):
            self._groups = None  # the registry changed: its groups are read again
        return {
            name: backend.create_table(name, table, temp=True, overwrite=True)
            for name, table in tables.items()
        }

    def from_warehouse(
        self, con: duckdb.DuckDBPyConnection, names: list[str]
    ) -> dict[str, ir.Table]:
        # SQL alone (the computation's path) needs no Ibis backend: it costs an import.
        self._con, self._backend, self._groups = con, None, None
        return {name: self._ensure_backend().table(name) for name in names}

    def run_sql(self, sql: str) -> pd.DataFrame | None:
        # The SQL compiled once for the fingerprint runs as is: the warehouse, derived and
        # parameter tables carry the names it was compiled against.
        return self.con.execute(sql).df()

    def register(self, name: str, table: pa.Table) -> None:
        """`table` readable as `name` by SQL: a view of the Arrow table itself (no copy, no
        Ibis table), for small tables such as a fitted model's parameters."""
        self.con.register(name, table)
        self._registered.append(name)

    def create_from_sql(self, name: str, sql: str) -> None:
        """Table `name` (temporary) from `sql`, e.g. a derived table compiled once."""
        self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}')
        self._temporary.append(name)

    def compile(self, expression: ir.Table) -> str:
        return ibis.to_sql(expression, dialect="duckdb")

    def columns(self, sql: str) -> tuple[str, ...]:
        return tuple(self.con.sql(sql).columns)  # binds without running

    def pool(self, indicator: Indicator, compute_sql: str, columns) -> pd.DataFrame:
        if registry_levels(indicator):
            self._ensure_groups(indicator)
        return self.run_sql(pooled_sql(indicator, compute_sql, columns))

    def pool_deferred(self, indicator: Indicator, compute_sql: str, columns) -> pd.DataFrame:
        """Like `pool` without the registry levels, which `pool_registry` adds later for
        every indicator pooled so since (the establishment rows are kept for it)."""
        if not registry_levels(indicator):
            return self.pool(indicator, compute_sql, columns)
        self._ensure_groups(indicator)
        return self.run_sql(pooled_sql(indicator, compute_sql, columns, registry=False))

    def pool_registry(self, pooled: dict[str, tuple[Indicator, pd.DataFrame]]) -> dict:
        """Every indicator's frame of `pool_deferred` completed with its registry levels,
        pooled for all of them in one query."""
        return RegistryPool(self).complete(pooled)

    def _ensure_groups(self, indicator: Indicator) -> None:
        """GROUPS_TABLE from the registry tables the connection has (built once)."""
        if self._groups is None:
            present = {
                row[0]
                for row in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            }
            self._groups = tuple(name in present for name in _GROUP_SOURCES)
            self.create_from_sql(GROUPS_TABLE, level_groups_sql(*self._groups))
        for level in registry_levels(indicator):
            source = _GROUP_SOURCES[1 if level.startswith("strate:") else 0]
            if not self._groups[_GROUP_SOURCES.index(source)]:
                raise ValueError(f"the table {source} is needed to aggregate this level")

    def materialize(self, name: str, expression: ir.Table) -> ir.Table:
        return self._ensure_backend().create_table(name, expression, temp=True, overwrite=True)

    def close(self) -> None:
        if self._con is not None:
            self._forget(self._con)
        self._registered, self._temporary, self._groups = [], [], None
        if self._memory is not None:
            self._memory.close()
            self._memory = None
        self._con = self._backend = None

    def _forget(self, con: duckdb.DuckDBPyConnection) -> None:
        """Drop the views and tables this engine added to a connection still open (a closed
        one dropped them itself)."""
        try:
            for name in dict.fromkeys(self._registered):
                con.unregister(name)
            for name in dict.fromkeys(self._temporary):
                con.execute(f'DROP TABLE IF EXISTS temp.main."{name}"')
        except duckdb.ConnectionException:
            pass
