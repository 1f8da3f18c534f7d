"""Shared fixtures. Test categories are folders: unit, spec (every indicator family on every
engine), golden (published values), integration (warehouse + real files), functional (CLI
end to end)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hospiscope.warehouse import Warehouse

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_RAW = ROOT.parent / "shared" / "data" / "raw"
BUNDLED_GISCO = ROOT / "src" / "hospiscope" / "data" / "registry" / "finess-gisco-FR-2020.csv"


@pytest.fixture
def warehouse(tmp_path: Path):
    with Warehouse(tmp_path / "entrepot.duckdb") as wh:
        yield wh


def table_fingerprint(wh: Warehouse) -> dict[str, tuple]:
    """Row count and an order-independent content hash of every table (to prove that a failed
    import changed nothing)."""
    tables = [row[0] for row in wh.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()]
    return {
        table: tuple(wh.con.execute(
            f'SELECT count(*), coalesce(sum(hash(t::VARCHAR)::HUGEINT), 0) FROM "{table}" t'
        ).fetchall()[0])
        for table in tables
    }
