"""Fixtures of the web tests: a portal on a copy of the small demo warehouse (slow: built once
per run), and one on a registry-only warehouse whose names are hostile (fast)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from hospiscope import pipeline
from hospiscope.warehouse import Warehouse

from support import FIXTURES, publish_everything

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_FINESS = "010000065"


def client_of(path: Path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # starlette's httpx notice
        from fastapi.testclient import TestClient

    from hospiscope.web.app import create_app

    return TestClient(create_app(path, **options), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def portal_warehouse(demo_warehouse, tmp_path_factory) -> Path:
    """A copy of the demo warehouse that only the portal reads."""
    path = tmp_path_factory.mktemp("portail") / "demo.duckdb"
    shutil.copy(demo_warehouse, path)
    publish_everything(path)
    return path


@pytest.fixture(scope="session")
def portal(portal_warehouse):
    return client_of(portal_warehouse)


@pytest.fixture(scope="session")
def hostile_warehouse(tmp_path_factory) -> Path:
    """The registry extract of the fixtures, one establishment renamed as a script."""
    directory = tmp_path_factory.mktemp("hostile")
    source = (FIXTURES / "finess" / "etalab-extrait.csv").read_text("utf-8")
    lines = source.splitlines()
    for index, line in enumerate(lines):
        fields = line.split(";")
        if fields[0] == "structureet" and fields[1] == HOSTILE_FINESS:
            fields[3] = fields[4] = HOSTILE_NAME
            fields[15] = "01606 <b>TREVOUX</b>"
            lines[index] = ";".join(fields)
    registry = directory / "registre.csv"
    registry.write_text("\n".join(lines) + "\n", "utf-8")
    path = directory / "entrepot.duckdb"
    with Warehouse(path) as warehouse:
        pipeline.import_registry(warehouse, registry)
    return path


@pytest.fixture(scope="session")
def hostile_portal(hostile_warehouse):
    return client_of(hostile_warehouse)
