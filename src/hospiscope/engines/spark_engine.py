"""Spark (PySpark) through Ibis, for national event volumes. Local mode by default
(`local[2]`); set HOSPISCOPE_SPARK_MASTER to use a cluster. Inputs go to Spark as Parquet."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from hospiscope.engines.base import Engine

_SESSION = None


def spark_session():
    """One Spark session per process (its start-up costs seconds)."""
    global _SESSION
    if _SESSION is None:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        from pyspark.sql import SparkSession

        _SESSION = (
            SparkSession.builder.master(os.environ.get("HOSPISCOPE_SPARK_MASTER", "local[2]"))
            .appName("hospiscope")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


class SparkEngine(Engine):
    name = "spark"
    label = "Spark (PySpark)"

    def __init__(self) -> None:
        self._directory = Path(tempfile.mkdtemp(prefix="hospiscope-spark-"))
        self._backend = ibis.pyspark.connect(spark_session())

    def load(self, tables: dict[str, pa.Table]) -> dict[str, ir.Table]:
        loaded = {}
        for name, table in tables.items():
            path = self._directory / f"{name}.parquet"
            pq.write_table(table, path)
            loaded[name] = self._backend.read_parquet(str(path), table_name=name)
        return loaded

    def from_warehouse(
        self, con: duckdb.DuckDBPyConnection, names: list[str]
    ) -> dict[str, ir.Table]:
        loaded = {}
        for name in names:
            path = self._directory / f"{name}.parquet"
            con.execute(f"COPY \"{name}\" TO '{path}' (FORMAT parquet)")
            loaded[name] = self._backend.read_parquet(str(path), table_name=name)
        return loaded

    def materialize(self, name: str, expression: ir.Table) -> ir.Table:
        return expression.cache()  # Spark keeps the DataFrame in memory for the run

    def close(self) -> None:
        shutil.rmtree(self._directory, ignore_errors=True)
