"""DuckDB, the default engine: reads the warehouse in place, without copying."""

from __future__ import annotations

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from hospiscope.engines.base import Engine


class DuckDBEngine(Engine):
    name = "duckdb"
    label = "DuckDB (intégré)"

    def __init__(self) -> None:
        self._memory: duckdb.DuckDBPyConnection | None = None
        self._backend = None

    def _ensure_backend(self):
        if self._backend is None:
            self._memory = duckdb.connect()
            self._backend = ibis.duckdb.from_connection(self._memory)
        return self._backend

    def load(self, tables: dict[str, pa.Table]) -> dict[str, ir.Table]:
        # Temporary tables: in the warehouse connection they vanish with it and are never
        # written to the file.
        backend = self._ensure_backend()
        return {
            name: backend.create_table(name, table, temp=True, overwrite=True)
            for name, table in tables.items()
        }

    def from_warehouse(
        self, con: duckdb.DuckDBPyConnection, names: list[str]
    ) -> dict[str, ir.Table]:
        self._backend = ibis.duckdb.from_connection(con)
        return {name: self._backend.table(name) for name in names}

    def run_sql(self, sql: str) -> pd.DataFrame | None:
        # The SQL compiled once for the fingerprint runs as is: the warehouse, derived and
        # parameter tables carry the names it was compiled against.
        return self._ensure_backend().con.sql(sql).df()

    def materialize(self, name: str, expression: ir.Table) -> ir.Table:
        return self._ensure_backend().create_table(name, expression, temp=True, overwrite=True)

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
            self._memory = None
        self._backend = None
