"""Shared fixtures. Test categories are folders: unit, spec (every indicator family on every
engine), generative (engines agree on random data), golden (published values), integration
(warehouse + real files), functional (the CLI end to end)."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pytest

from hospiscope.engines import make_engine
from hospiscope.warehouse import Warehouse

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

ENGINES = [
    pytest.param("duckdb"),
    pytest.param("polars"),
    pytest.param("spark", marks=pytest.mark.spark),
]
_SPARK = {}
# Tests that build a demo warehouse (through these fixtures) or run the command line end to
# end (tests/functional) are `slow`: left out of `make test-fast`, always in `make test`.
SLOW_FIXTURES = {"demo_warehouse", "demo_copy"}
SLOW_FOLDERS = ("functional",)


def pytest_collection_modifyitems(items):
    """Mark `slow` from the fixtures and folders, so that the mark cannot be forgotten."""
    for item in items:
        folder = Path(str(item.path)).parent.name
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or folder in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def warehouse(tmp_path: Path):
    with Warehouse(tmp_path / "entrepot.duckdb") as wh:
        yield wh


@pytest.fixture(params=ENGINES)
def engine(request):
    """Every engine in turn; Spark's session is started once for the whole run."""
    if request.param == "spark":
        if "engine" not in _SPARK:
            _SPARK["engine"] = make_engine("spark")
        yield _SPARK["engine"]
        return
    instance = make_engine(request.param)
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def warehouse_schemas(tmp_path_factory) -> dict[str, pa.Schema]:
    """Arrow schema of every warehouse table, from a freshly created warehouse."""
    path: Path = tmp_path_factory.mktemp("schema") / "schema.duckdb"
    with Warehouse(path) as wh:
        names = [row[0] for row in wh.con.execute("SHOW TABLES").fetchall()]
        return {
            name: wh.con.sql(f'SELECT * FROM "{name}" LIMIT 0').to_arrow_table().schema
            for name in names
        }


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """A small demo warehouse (2 % of the national volume), built once per test run."""
    from hospiscope import pipeline

    directory = tmp_path_factory.mktemp("demo")
    path = directory / "demo.duckdb"
    with Warehouse(path) as wh:
        pipeline.build_demo(wh, directory / "fichiers", scale=0.02)
    return path


@pytest.fixture
def demo_copy(demo_warehouse, tmp_path):
    """A writable copy of the small demo warehouse (for tests that import or compute more)."""
    import shutil

    path = tmp_path / "copie.duckdb"
    shutil.copy(demo_warehouse, path)
    with Warehouse(path) as wh:
        yield wh
