"""Polars through Ibis: a second embedded engine, used to cross-check DuckDB."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from hospiscope.engines.base import Engine


class PolarsEngine(Engine):
    name = "polars"
    label = "Polars"

    def load(self, tables: dict[str, pa.Table]) -> dict[str, ir.Table]:
        backend = ibis.polars.connect()
        return {name: backend.create_table(name, table) for name, table in tables.items()}
