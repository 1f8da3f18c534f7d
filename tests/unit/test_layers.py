"""A lower layer never imports a higher one (the order of hospiscope/__init__.py)."""

import ast
import re

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
    "access",
    "demo",
    "pipeline",
    "reports",
    "web",
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


# What validation code looks like, for the rule below.
VALUE_CHECK_MODULES = ("hospiscope.sources.columns", "hospiscope.sources.finess.numbers")
VALUE_CHECK_SQL = re.compile(r"\b(try_cast|try_strptime|regexp_\w+|error\s*\()", re.IGNORECASE)
CHECK_NAME = re.compile(
    r"(^|_)(check|checks|checked|validate|validation|failing|problem|problems)(_|$)"
)


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "warehouse").rglob("*.py")), ids=lambda path: path.name
)
def test_warehouse_holds_no_validation(path):
    """`warehouse/` only writes: checking imported values belongs to `sources/` (issue 8), where
    the column model derives both the fast path's SQL and the detailed reader's Python checks.
    A warehouse module may run a checked statement that `sources/` built (e.g.
    `sources.esatis.checks.checked_select`), never build one. Concretely, no module of
    `warehouse/`:
    - imports the value checks (`hospiscope.sources.columns`, the column model and its check
      builders; `hospiscope.sources.finess.numbers`, the FINESS check digit);
    - writes SQL that checks values: no `TRY_CAST`, `TRY_STRPTIME`, `regexp_…` or `error(` in
      its text (any case);
    - defines a function or class named as a check (`check`, `validate`, `failing`,
      `problem(s)` as a word of its name)."""
    imported = imported_modules(path)
    check_imports = [m for m in imported if m.startswith(VALUE_CHECK_MODULES)]
    assert not check_imports, check_imports
    text = path.read_text("utf-8")
    checking_sql = VALUE_CHECK_SQL.findall(text)
    assert not checking_sql, checking_sql
    names = [
        node.name
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    named_as_checks = [name for name in names if CHECK_NAME.search(name.lower())]
    assert not named_as_checks, named_as_checks
