"""Paths and helpers shared by the tests (import as `support`)."""

from __future__ import annotations

from pathlib import Path

from hospiscope.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_RAW = ROOT.parent / "shared" / "data" / "raw"
BUNDLED_GISCO = ROOT / "src" / "hospiscope" / "data" / "registry" / "finess-gisco-FR-2020.csv"


def table_fingerprint(wh: Warehouse) -> dict[str, tuple]:
    """Row count and an order-independent content hash of every table (to prove that a failed
    import changed nothing)."""
    tables = [
        row[0]
        for row in wh.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary"
        ).fetchall()
    ]
    return {
        table: tuple(
            wh.con.execute(
                f'SELECT count(*), coalesce(sum(hash(t::VARCHAR)::HUGEINT), 0) FROM "{table}" t'
            ).fetchall()[0]
        )
        for table in tables
    }


def demo_registry_and_capacity(wh: Warehouse):
    """Import the bundled registry into `wh`; return it (the columns the demo families read)
    and demo capacities (seed 1, year 2023) for the demo family tests."""
    import numpy as np

    from hospiscope import pipeline
    from hospiscope.demo.capacity import generate_capacity

    pipeline.import_registry(wh, pipeline.bundled_registry())
    registry = wh.con.sql(
        "SELECT finess_et, name, category_code, legal_status, region_code FROM establishments "
        "ORDER BY finess_et"
    ).pl()
    return registry, generate_capacity(np.random.default_rng(1), registry, 2023)


def hospiscope(*args, check_code: int | None = 0):
    """Run the `hospiscope` command as a user does (a new process, wide terminal); assert its
    exit code unless `check_code` is None."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "hospiscope", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    if check_code is not None:
        assert done.returncode == check_code, done.stdout + done.stderr
    return done


def publish_everything(warehouse: Path) -> None:
    """Publish every campaign and family computed in `warehouse` (its access database beside
    it), as the national team would: the public portal shows published results only."""
    from hospiscope.cli.demo_review import prepare_demo_review

    prepare_demo_review(warehouse, held=())
