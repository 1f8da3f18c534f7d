"""A process killed in the middle of an import (after writing its rows, before COMMIT) leaves
the warehouse exactly as it was: DuckDB only replays committed transactions."""

import os
import signal
import subprocess
import sys
import time

import pytest

from hospiscope import pipeline
from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.imports import FAULT_PAUSE_ENV

from support import BUNDLED_GISCO, FIXTURES, table_fingerprint


def kill_while_importing(path, kind: str, target, tmp_path) -> None:
    marker = tmp_path / "paused"
    environment = {**os.environ, FAULT_PAUSE_ENV: str(marker)}
    process = subprocess.Popen(
        [sys.executable, "-m", "hospiscope", "import", kind, str(target), "--warehouse", str(path)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the import never reached its commit"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("esatis", FIXTURES / "esatis" / "esatis-mco48h-extrait.csv"),
        ("registry", FIXTURES / "finess" / "etalab-extrait.csv"),
    ],
)
def test_killed_import_leaves_the_warehouse_as_it_was(tmp_path, kind, target):
    path = tmp_path / "entrepot.duckdb"
    with Warehouse(path) as warehouse:
        pipeline.import_registry(warehouse, BUNDLED_GISCO)
        before = table_fingerprint(warehouse)
    kill_while_importing(path, kind, target, tmp_path)
    with Warehouse(path) as warehouse:
        assert table_fingerprint(warehouse) == before
        # and the warehouse still works: the same import now succeeds
        importer = pipeline.import_esatis if kind == "esatis" else pipeline.import_registry
        assert importer(warehouse, target).run_id == 2
