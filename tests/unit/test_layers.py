"""A lower layer never imports a higher one (the order of hospiscope/__init__.py)."""

import ast

import pytest

from support import ROOT

PACKAGE = ROOT / "src" / "hospiscope"
# Each layer may import itself and the layers listed before it.
LAYERS = [
    "french",
    "progress",
    "geo",
    "stats",
    "certification",
    "sources",
    "warehouse",
    "peers",
    "catalogue",
    "engines",
    "results",
    "demo",
    "pipeline",
    "reports",
    "cli",
]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "hospiscope" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_lower_layers(layer):
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    paths = (
        [PACKAGE / f"{layer}.py"]
        if (PACKAGE / f"{layer}.py").exists()
        else sorted((PACKAGE / layer).rglob("*.py"))
    )
    assert paths
    for path in paths:
        for module in imported_modules(path):
            target = layer_of(module)
            assert target is None or target in allowed, f"{path.name} imports {module}"
