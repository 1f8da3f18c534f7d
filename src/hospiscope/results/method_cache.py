"""Compiled methods kept in the warehouse, so that a computation compiles nothing that has not
changed (building and compiling an indicator's Ibis expression costs about 75 ms; running it
on the engine, a few).

An entry is the `CompiledMethod` of an indicator — the SQL that runs, and the fingerprint
made from it — under a key that changes whenever a fresh compile could give anything else:

- the source of the indicator's definition module and of every hospiscope module it imports,
  transitively (and the data files of the packages among them, e.g. class grids), together
  with the fingerprint's own modules (fingerprint, runner, levels, the derived tables);
- the indicator's whole metadata and its funnel specification;
- the schemas of the warehouse tables it reads (directly or through derived tables);
- the versions of Python (the fingerprint holds syntax trees), Ibis, sqlglot, pandas,
  pydantic, DuckDB, and the fingerprint scheme.

Only an indicator that is the `INDICATOR` of its catalogue module is cached: one built
elsewhere (tests, variants) has no source to key it by and is compiled every time.

Why the warehouse (table `method_cache`, created here with CREATE TABLE IF NOT EXISTS; no
file refers to it, no migration is needed): the key holds the warehouse's own schemas, the
entries are written in the transaction that stores the results (a computation that fails
leaves no entry), a copy of the warehouse carries them, and there is no second file to keep
next to it, lock or clean. One row per indicator: its latest compile.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

import hospiscope
from hospiscope.catalogue.derived import derived_tables
from hospiscope.catalogue.model import Indicator
from hospiscope.engines.runner import needed_tables
from hospiscope.results.fingerprint import SCHEME, CompiledMethod

CACHE_FORMAT = "m1"  # the layout of a key; change it to drop every entry
TABLE = "method_cache"
DERIVED_PREFIX = "derived:"  # entries of derived tables: their SQL only
DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    entry VARCHAR PRIMARY KEY,  -- an indicator code, or derived:<table>
    cache_key VARCHAR NOT NULL,
    compute_sql VARCHAR NOT NULL,
    prepare_sql VARCHAR,
    columns VARCHAR[] NOT NULL,
    definition_hash VARCHAR NOT NULL,
    compiled_at TIMESTAMP NOT NULL DEFAULT current_timestamp
)
"""
_PACKAGE = Path(hospiscope.__file__).parent
_DEFINITIONS = "hospiscope.catalogue.definitions."
# Modules whose code decides every fingerprint besides the indicator's own.
_ALWAYS = ("hospiscope.results.fingerprint", "hospiscope.catalogue.derived", __name__)
_VERSIONED = ("ibis-framework", "sqlglot", "pandas", "pydantic", "duckdb")
_DATA_SUFFIXES = (".yaml", ".yml", ".json", ".sql")


@dataclass
class MethodCache:
    """The entries of one warehouse, read once per computation run; new compiles are kept
    until `save`."""

    entries: dict[str, tuple[str, CompiledMethod]]  # code → (key, method)
    schemas: dict[str, str]  # warehouse table → its columns and types
    new: dict[str, tuple[str, CompiledMethod]] = field(default_factory=dict)
    hits: int = 0
    compiled: int = 0  # misses: entries compiled by this run

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> MethodCache:
        # Reading creates nothing: a computation that fails leaves the warehouse as it was.
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary",
            [TABLE],
        ).fetchall()[0][0]
        rows = (
            con.execute(
                f"SELECT entry, cache_key, compute_sql, prepare_sql, columns, "
                f"definition_hash FROM {TABLE}"
            ).fetchall()
            if exists
            else []
        )
        entries = {
            code: (key, CompiledMethod(compute, prepare, digest, tuple(columns)))
            for code, key, compute, prepare, columns, digest in rows
        }
        return cls(entries, table_schemas(con))

    def method(
        self, indicator: Indicator, compile_fresh: Callable[[], CompiledMethod]
    ) -> CompiledMethod:
        """The cached method when its key still holds, else `compile_fresh()` (kept)."""
        return self._lookup(indicator.code, cache_key(indicator, self.schemas), compile_fresh)

    def derived(self, name: str, compile_fresh: Callable[[], str]) -> str:
        """The SQL of derived table `name` (the same keys, without an indicator)."""
        key = derived_key(name, self.schemas)
        method = self._lookup(
            f"{DERIVED_PREFIX}{name}", key, lambda: CompiledMethod(compile_fresh(), None, "")
        )
        return method.compute_sql

    def _lookup(self, entry: str, key: str | None, compile_fresh) -> CompiledMethod:
        stored = self.entries.get(entry)
        if key is not None and stored is not None and stored[0] == key:
            self.hits += 1
            return stored[1]
        method = compile_fresh()
        self.compiled += 1
        if key is not None:
            self.new[entry] = (key, method)
        return method

    def save(self, con: duckdb.DuckDBPyConnection) -> None:
        """Write the new compiles (in the caller's transaction)."""
        if not self.new:
            return
        con.execute(DDL)
        con.executemany(
            f"INSERT OR REPLACE INTO {TABLE} (entry, cache_key, compute_sql, "
            "prepare_sql, columns, definition_hash) VALUES (?, ?, ?, ?, ?, ?)",
            [
                [code, key, m.compute_sql, m.prepare_sql, list(m.columns), m.definition_hash]
                for code, (key, m) in self.new.items()
            ],
        )
        self.entries.update(self.new)
        self.new = {}


def table_schemas(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every warehouse table's columns and types, in order (one query)."""
    rows = con.execute(
        """
        SELECT table_name, string_agg(column_name || ' ' || data_type, ', '
                                      ORDER BY column_index)
        FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main'
        GROUP BY table_name
        """
    ).fetchall()
    return dict(rows)


def cache_key(indicator: Indicator, schemas: dict[str, str]) -> str | None:
    """The key of the indicator's compiled method, or None when it cannot be cached."""
    module = definition_module(indicator)
    if module is None:
        return None
    stored, _ = needed_tables([indicator])
    parts = {
        "format": CACHE_FORMAT,
        "scheme": SCHEME,
        "versions": versions(),
        "sources": sources_digest((module, *_ALWAYS)),
        "meta": indicator.meta.model_dump(mode="json"),
        "funnel": repr(indicator.funnel),
        "schemas": {name: schemas.get(name) for name in stored},
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def derived_key(name: str, schemas: dict[str, str]) -> str:
    """The key of a derived table's SQL: its code (catalogue.derived imports every derived
    table's module), the schemas of its inputs, the versions."""
    inputs = derived_tables()[name].inputs
    parts = {
        "format": CACHE_FORMAT,
        "derived": name,
        "versions": versions(),
        "sources": sources_digest(_ALWAYS),
        "schemas": {table: schemas.get(table) for table in inputs},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def definition_module(indicator: Indicator) -> str | None:
    """The catalogue module whose `INDICATOR` is this very indicator."""
    # sys.modules holds ~2 000 modules: scanned once for every indicator, not once for each
    # (~2 ms); an entry is trusted only while its module still holds that very indicator.
    name = _DEFINING.get(id(indicator))
    if name is not None and _defines(name, indicator):
        return name
    _DEFINING.clear()
    for name, module in list(sys.modules.items()):
        defined = getattr(module, "INDICATOR", None) if name.startswith(_DEFINITIONS) else None
        if defined is not None:
            _DEFINING.setdefault(id(defined), name)  # the first, as the scan found it
    name = _DEFINING.get(id(indicator))
    return name if name is not None and _defines(name, indicator) else None


_DEFINING: dict[int, str] = {}  # id(INDICATOR) → its catalogue module


def _defines(name: str, indicator: Indicator) -> bool:
    return getattr(sys.modules.get(name), "INDICATOR", None) is indicator


@cache
def versions() -> tuple[str, ...]:
    return (platform.python_version(), *(importlib.metadata.version(p) for p in _VERSIONED))


@cache  # the same few roots for every indicator of a run (forget() drops it)
def sources_digest(roots: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in sorted(set().union(*(closure(root) for root in roots))):
        digest.update(f"{name}\0{file_digest(name)}\0".encode())
    return digest.hexdigest()


@cache
def closure(name: str) -> frozenset[str]:
    """`name` and every hospiscope module it imports, transitively."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or module_path(current) is None:
            continue
        seen.add(current)
        todo.extend(imports_of(current))
    return frozenset(seen)


# Import statements, at any indentation (lazy imports count): `from X import a, b` (names
# in parentheses may span lines) and `import X, Y`. Reading them with a pattern rather than
# a syntax tree costs a tenth; one in a string only adds a dependency, never hides one.
_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)", re.M)


@cache
def imports_of(name: str) -> tuple[str, ...]:
    """The hospiscope modules `name` imports (at any depth of its code, lazy ones too)."""
    path = module_path(name)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    source = read_source(path)
    found = [n.strip() for m in _IMPORT.finditer(source) for n in m.group(1).split(",")]
    for match in _FROM.finditer(source):
        base = _absolute(match.group(1), package)
        names = re.findall(r"\w+", re.sub(r"#[^\n]*", "", match.group(2)))
        found += [base, *(f"{base}.{alias}" for alias in names if alias != "as")]
    return tuple(n for n in found if n.split(".")[0] == "hospiscope" and module_path(n))


def _absolute(module: str, package: str) -> str:
    level = len(module) - len(module.lstrip("."))
    if not level:
        return module
    parent = package.rsplit(".", level - 1)[0] if level > 1 else package
    rest = module[level:]
    return f"{parent}.{rest}" if rest else parent


@cache
def module_path(name: str) -> Path | None:
    """The file of a hospiscope module, or None (not a module of the package)."""
    parts = name.split(".")
    if parts[0] != "hospiscope":
        return None
    base = _PACKAGE.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@cache
def file_digest(name: str) -> str:
    """Digest of a module's source, and for a package of its data files."""
    path = module_path(name)
    digest = hashlib.sha256(read_source(path).encode())
    if path.name == "__init__.py":
        for data in sorted(path.parent.iterdir()):
            if data.suffix in _DATA_SUFFIXES:
                digest.update(data.name.encode() + data.read_bytes())
    return digest.hexdigest()


def read_source(path: Path) -> str:
    return path.read_text("utf-8")


def forget() -> None:
    """Drop what this process memoised of the sources (tests and benchmarks: a source read
    again, a cold start)."""
    for memo in (closure, imports_of, module_path, file_digest, versions, sources_digest):
        memo.cache_clear()
