"""DuckDB, the default engine: reads the warehouse in place, without copying."""

from __future__ import annotations

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from hospiscope.engines.base import Engine


class DuckDBEngine(Engine):
    name = "duckdb"
    label = "DuckDB (intégré)"

    def __init__(self) -> None:
        self._memory: duckdb.DuckDBPyConnection | None = None

    def load(self, tables: dict[str, pa.Table]) -> dict[str, ir.Table]:
        self._memory = duckdb.connect()
        backend = ibis.duckdb.from_connection(self._memory)
        return {name: backend.create_table(name, table) for name, table in tables.items()}

    def from_warehouse(
        self, con: duckdb.DuckDBPyConnection, names: list[str]
    ) -> dict[str, ir.Table]:
        backend = ibis.duckdb.from_connection(con)
        return {name: backend.table(name) for name in names}

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
            self._memory = None
