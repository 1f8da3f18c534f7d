"""Engines run indicator computations: DuckDB (default, embedded), Polars, and Spark for
national volumes (optional extra). All three run the *same* Ibis expressions."""

from hospiscope.engines.base import Engine, available_engines, make_engine

__all__ = ["Engine", "available_engines", "make_engine"]
