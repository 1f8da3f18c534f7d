"""The embedded DuckDB warehouse: schema, transactions and recorded import runs."""

from hospiscope.warehouse.warehouse import Warehouse, default_warehouse_path

__all__ = ["Warehouse", "default_warehouse_path"]
