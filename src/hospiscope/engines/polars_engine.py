"""Polars through Ibis: a second embedded engine, used to cross-check DuckDB."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from hospiscope.engines.base import Engine


class PolarsEngine(Engine):
    name = "polars"
    label = "Polars"

    def __init__(self) -> None:
        self._backend = ibis.polars.connect()

    def load(self, tables: dict[str, pa.Table]) -> dict[str, ir.Table]:
        return {
            name: self._backend.create_table(name, table, overwrite=True)
            for name, table in tables.items()
        }

    def materialize(self, name: str, expression: ir.Table) -> ir.Table:
        return self.load({name: expression.to_pyarrow()})[name]
