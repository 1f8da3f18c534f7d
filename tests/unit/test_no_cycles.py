"""The house has no import cycle: no module of hospiscope imports, directly or through
others, a module that imports it back. Every import counts — at the top of a module, inside
a function, and under `if TYPE_CHECKING:` — because a cycle hidden behind any of them is still
two modules that cannot be understood (or moved) one without the other."""

from __future__ import annotations

import ast

from support import ROOT

PACKAGE = ROOT / "src" / "hospiscope"


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, object]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path, known: set[str]) -> set[str]:
    """The hospiscope modules that `name` imports: `from a.b import c` is an import of the
    module a.b.c when there is one, else of a.b (the package's __init__ for a package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, one level up per extra dot
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {module for module in found if module in known and module != name}


def graph() -> dict[str, set[str]]:
    paths = modules()
    known = set(paths)
    return {name: imports(name, path, known) for name, path in paths.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # recursion depth = longest import chain: a few dozen
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def describe(component: list[str], edges: dict[str, set[str]]) -> str:
    inside = set(component)
    arrows = [f"{a} -> {b}" for a in component for b in sorted(edges[a] & inside)]
    return "; ".join(arrows)


def test_the_package_has_no_import_cycle():
    edges = graph()
    found = cycles(edges)
    assert not found, "import cycles:\n" + "\n".join(describe(c, edges) for c in found)


def test_the_walk_sees_type_checking_and_function_level_imports(tmp_path):
    # The finder itself: a cycle through a TYPE_CHECKING block and a function counts.
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from hospiscope.stats.funnel import FunnelResult\n"
        "def f():\n    import hospiscope.results.store\n"
        "from hospiscope.stats import estimate\n"
    )
    known = {"hospiscope.stats", "hospiscope.stats.funnel", "hospiscope.stats.estimate",
             "hospiscope.results.store"}  # fmt: skip
    assert imports("hospiscope.m", source, known) == {
        "hospiscope.stats.funnel",
        "hospiscope.results.store",
        "hospiscope.stats.estimate",
    }


def test_relative_imports_resolve_against_their_package(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("from . import sibling\nfrom .. import top\nfrom .sibling import x\n")
    known = {"hospiscope.a", "hospiscope.a.sibling", "hospiscope.top"}
    assert imports("hospiscope.a.m", source, known) == {"hospiscope.a.sibling", "hospiscope.top"}
