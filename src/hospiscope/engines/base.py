"""The engine interface and the engine registry."""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod

import duckdb
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from hospiscope.catalogue.model import Indicator


class EngineUnavailable(RuntimeError):
    """The engine's optional dependencies are not installed."""


class Engine(ABC):
    """Runs Ibis expressions over tables it holds. Subclasses only say how tables get in."""

    name: str
    label: str
    # True: the engine runs DuckDB SQL (`run_sql`, `compile`, `columns`) and pools the levels
    # of an indicator in the query that computes it (engines.levels.pooled_sql).
    pools_in_sql: bool = False

    @abstractmethod
    def load(self, tables: dict[str, pa.Table]) -> dict[str, ir.Table]:
        """Make in-memory Arrow tables available to the engine (tests, small inputs)."""

    def from_warehouse(
        self, con: duckdb.DuckDBPyConnection, names: list[str]
    ) -> dict[str, ir.Table]:
        """The warehouse tables `names`, readable by this engine (copied when the engine is
        not DuckDB itself)."""
        return self.load(
            {name: con.sql(f'SELECT * FROM "{name}"').to_arrow_table() for name in names}
        )

    def materialize(self, name: str, expression: ir.Table) -> ir.Table:
        """Compute `expression` once and keep the result as table `name` (shared by several
        indicators of a computation run)."""
        return self.load({name: expression.to_pyarrow()})[name]

    def execute(self, expression: ir.Table) -> pd.DataFrame:
        return expression.to_pandas()

    def run_sql(self, sql: str) -> pd.DataFrame | None:
        """Run DuckDB SQL over the engine's tables, or None when the engine cannot (then the
        caller runs the Ibis expression)."""
        return None

    def register(self, name: str, table: pa.Table) -> None:
        """A small table readable as `name` by `run_sql` (engines that pool in SQL)."""
        raise NotImplementedError(f"{self.name} does not run SQL")

    def create_from_sql(self, name: str, sql: str) -> None:
        """Table `name` from `sql` (engines that pool in SQL)."""
        raise NotImplementedError(f"{self.name} does not run SQL")

    def pool(self, indicator: Indicator, compute_sql: str, columns) -> pd.DataFrame:
        """Every level of `indicator` (raw sums) from its compiled computation, which gives
        `columns` (engines that pool in SQL)."""
        raise NotImplementedError(f"{self.name} does not run SQL")

    def pool_deferred(self, indicator: Indicator, compute_sql: str, columns) -> pd.DataFrame:
        """`pool` that may leave the registry levels to `pool_registry` (engines that pool
        in SQL)."""
        return self.pool(indicator, compute_sql, columns)

    def pool_registry(self, pooled: dict[str, tuple[Indicator, pd.DataFrame]]) -> dict:
        """The frames of `pool_deferred` (by code, with their indicator) with every level."""
        return {code: frame for code, (_, frame) in pooled.items()}

    def compile(self, expression: ir.Table) -> str:
        """`expression` as SQL `run_sql` runs (engines that pool in SQL)."""
        raise NotImplementedError(f"{self.name} does not run SQL")

    def columns(self, sql: str) -> tuple[str, ...]:
        """The columns `sql` gives (engines that pool in SQL)."""
        raise NotImplementedError(f"{self.name} does not run SQL")

    def close(self) -> None:  # noqa: B027 - optional hook: most engines hold nothing
        """Release the engine's resources."""


ENGINES = {
    "duckdb": ("hospiscope.engines.duckdb_engine", "DuckDBEngine", None),
    "polars": ("hospiscope.engines.polars_engine", "PolarsEngine", None),
    "spark": ("hospiscope.engines.spark_engine", "SparkEngine", "pyspark"),
}


def available_engines() -> list[str]:
    return [
        name
        for name, (_, _, extra) in ENGINES.items()
        if extra is None or importlib.util.find_spec(extra) is not None
    ]


def make_engine(name: str) -> Engine:
    if name not in ENGINES:
        raise EngineUnavailable(f"moteur inconnu : {name} (connus : {', '.join(ENGINES)})")
    module_name, class_name, extra = ENGINES[name]
    if extra and importlib.util.find_spec(extra) is None:
        raise EngineUnavailable(
            f"le moteur {name} nécessite l'extra « {extra} » : pip install 'hospiscope[{name}]'"
        )
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()
