"""Benchmark of the spine (not a test): registry import, e-Satis import and computation of the
whole indicator catalogue over a national-size demo, on every engine, side by side with a
straightforward pandas implementation of the same computation.

    .venv/bin/python bench/bench_spine.py [--scale 1.0] [--repeat 3] [--engines duckdb,polars]

The demo files (one campaign, 2024) are generated once under --out and reused by later runs;
the warehouse is rebuilt from them on every run. Prints every figure, the ratios to DuckDB and
to pandas, a Markdown table for the README, and exits non-zero when an engine's results differ
from DuckDB's.

DuckDB runs as `hospiscope compute` does: the SQL compiled once (kept in the warehouse's
method cache) with every level pooled in the same query. The product's full path (step e) is
timed cold (nothing compiled yet) and warm (compiled methods cached: any later computation).
The fixed cost per indicator (step f) is the whole catalogue computed on a tiny demo
warehouse (scale 0.001), cold and warm, divided by the number of indicators; issue 8's goal
is ≤ 20 ms warm. Peak memory is the process's (ru_maxrss).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import ibis
import pandas as pd
from rich.console import Console
from rich.table import Table

import hospiscope.demo
from hospiscope import pipeline
from hospiscope.catalogue import Indicator, catalogue
from hospiscope.catalogue.derived import derived_tables
from hospiscope.demo.files import write_demo_files
from hospiscope.engines import available_engines, make_engine
from hospiscope.engines.levels import RESULT_COLUMNS
from hospiscope.engines.reference import add_reference_derived, reference_evaluate
from hospiscope.engines.runner import Sql, add_derived, complete_levels, evaluate, needed_tables
from hospiscope.results import method_cache
from hospiscope.results.compute import compute_indicators
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES
from hospiscope.warehouse import Warehouse

CAMPAIGNS = (2024,)
BASELINE = "duckdb"
PANDAS = "pandas"
MAX_DIFFERENCES_SHOWN = 10
RELATIVE_TOLERANCE = 1e-12
console = Console(highlight=False, width=shutil.get_terminal_size((140, 40)).columns)


# --------------------------------------------------------------------------- arguments


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("bench/out"),
        help="working directory (demo files, warehouse); default bench/out",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="share of the national e-Satis volume (default 1.0)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each engine's load + compute (median and min reported)",
    )
    parser.add_argument(
        "--engines",
        default=",".join(available_engines()),
        help="comma-separated engines (default: every available one); "
        "DuckDB always runs, it is the baseline",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.repeat < 1:
        parser.error("--scale must be > 0 and --repeat >= 1")
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = [name for name in engines if name not in available_engines()]
    if unknown:
        parser.error(f"unavailable engines: {unknown} (available: {available_engines()})")
    args.engines = [BASELINE] + [name for name in dict.fromkeys(engines) if name != BASELINE]
    return args


# --------------------------------------------------------------------------- timing


T = TypeVar("T")


def timed(function: Callable[[], T]) -> tuple[T, float]:
    clock = time.perf_counter()
    result = function()
    return result, time.perf_counter() - clock


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def say(label: str, seconds: float, extra: str = "") -> None:
    console.print(f"  {label:<58} {seconds:8.2f} s  {extra}")


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    versions = {}
    for package in ("duckdb", "polars", "pyspark", "pandas", "ibis-framework", "pyarrow"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "absent"
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": str(len(os.sched_getaffinity(0))),
        "cpu_model": _cpu_model(),
        "memory_gb": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f}",
        "python": platform.python_version(),
        "java": _java_version(),
        **versions,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _java_version() -> str:
    try:
        output = subprocess.run(
            ["java", "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.SubprocessError):
        return "absent"
    return output.splitlines()[0] if output else "?"


# --------------------------------------------------------------------------- demo files


@dataclass
class DemoFiles:
    capacity: Path
    esatis: list[Path]
    generation_s: float | None = None  # None when the files were reused


def demo_files(warehouse: Warehouse, out: Path, scale: float) -> DemoFiles:
    """The demo capacity and e-Satis files for `scale`, generated once (needs the registry
    imported in `warehouse`) and reused while the demo generator's code is unchanged."""
    directory = out / f"demo-scale-{scale:g}"
    manifest = directory / "manifest.json"
    if manifest.exists():
        listed = json.loads(manifest.read_text())
        files = DemoFiles(
            directory / listed["capacity"], [directory / name for name in listed["esatis"]]
        )
        if listed.get("generator") == generator_fingerprint() and all(
            path.is_file() for path in [files.capacity, *files.esatis]
        ):
            return files
    staging = directory.with_name(directory.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    files, seconds = timed(lambda: _generate(warehouse, staging, scale))
    shutil.rmtree(directory, ignore_errors=True)
    staging.rename(directory)  # only complete generations are ever reused
    files = DemoFiles(
        directory / files.capacity.relative_to(staging),
        [directory / path.relative_to(staging) for path in files.esatis],
        seconds,
    )
    manifest.write_text(
        json.dumps(
            {
                "scale": scale,
                "seed": pipeline.DEFAULT_SEED,
                "campaigns": list(CAMPAIGNS),
                "generator": generator_fingerprint(),
                "capacity": str(files.capacity.relative_to(directory)),
                "esatis": [str(path.relative_to(directory)) for path in files.esatis],
                "generation_s": seconds,
            },
            indent=2,
        )
    )
    return files


def generator_fingerprint() -> str:
    """Hash of the demo generator's sources and of this script's generation parameters."""
    digest = hashlib.sha256(f"{pipeline.DEFAULT_SEED} {CAMPAIGNS}".encode())
    for path in sorted(Path(hospiscope.demo.__file__).parent.iterdir()):
        if path.suffix in (".py", ".yaml"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _generate(warehouse: Warehouse, directory: Path, scale: float) -> DemoFiles:
    """The product's own demo generation (`demo.files.write_demo_files`), CAMPAIGNS only."""
    registry = warehouse.con.sql(
        "SELECT finess_et, category_code, legal_status, region_code FROM establishments "
        "ORDER BY finess_et"
    ).pl()
    files = write_demo_files(registry, directory, scale=scale, campaigns=CAMPAIGNS)
    return DemoFiles(files.capacity, files.esatis)


# --------------------------------------------------------------------------- imports


def fresh_warehouse(out: Path, scale: float) -> Warehouse:
    path = out / f"warehouse-scale-{scale:g}.duckdb"
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    return Warehouse(path)


def import_esatis_files(warehouse: Warehouse, paths: list[Path]) -> int:
    """Import every response file; returns the lines read."""
    lines = 0
    for path in paths:
        outcome = pipeline.import_esatis(warehouse, path)
        if outcome.skipped or outcome.written is None:
            raise RuntimeError(f"{path.name} was not imported (already in the warehouse?)")
        lines += outcome.written.rows_read
    return lines


# --------------------------------------------------------------------------- engines


@dataclass
class Runs:
    """The repeated load + compute runs of one engine, and the results of its first run."""

    name: str
    load_s: list[float] = field(default_factory=list)
    compute_s: list[float] = field(default_factory=list)
    results: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def total_s(self) -> list[float]:
        return [load + compute for load, compute in zip(self.load_s, self.compute_s, strict=True)]

    def record(self, load: float, compute: float, results: dict[str, pd.DataFrame]) -> None:
        self.load_s.append(load)
        self.compute_s.append(compute)
        if not self.results:
            self.results = results


def input_tables(indicators: list[Indicator]) -> list[str]:
    """The warehouse tables the indicators read (derived tables are built in the compute)."""
    return needed_tables(indicators)[0]


def run_engine(
    name: str,
    warehouse: Warehouse,
    indicators: list[Indicator],
    repeat: int,
    methods: dict[str, Sql],
) -> Runs:
    """`repeat` runs with a fresh engine each (Spark reuses its process-wide session)."""
    runs, names = Runs(name), input_tables(indicators)
    for attempt in range(repeat):
        engine = make_engine(name)
        try:
            tables, load = timed(lambda engine=engine: engine.from_warehouse(warehouse.con, names))
            results, compute = timed(
                lambda engine=engine, tables=tables: _evaluate_all(
                    engine, tables, indicators, methods
                )
            )
        finally:
            engine.close()
        runs.record(load, compute, results)
        say(f"{name} essai {attempt + 1}/{repeat} : chargement", load)
        say(f"{name} essai {attempt + 1}/{repeat} : calcul", compute)
    return runs


def _evaluate_all(
    engine, tables, indicators: list[Indicator], methods: dict[str, Sql]
) -> dict[str, pd.DataFrame]:
    """Every indicator at every level; engines that run SQL run the cached compiled SQL, the
    derived tables' too (as `hospiscope compute` does: no Ibis expression is built)."""
    derived = needed_tables(indicators)[1]
    if engine.pools_in_sql:
        for name in derived:
            engine.create_from_sql(name, methods[f"{method_cache.DERIVED_PREFIX}{name}"].compute)
    else:
        tables = add_derived(engine, tables, derived)
    sql = methods if engine.pools_in_sql else {}
    # As `hospiscope compute`: each indicator's query, then the registry levels of all of
    # them in one query (engines that pool in SQL).
    pooled = {
        i.code: (i, evaluate(engine, i, tables, sql=sql.get(i.code), deferred=True))
        for i in indicators
    }
    return {
        code: frame[list(RESULT_COLUMNS)]
        for code, frame in complete_levels(engine, pooled).items()
    }


def cached_methods(warehouse: Warehouse, indicators: list[Indicator]) -> dict[str, Sql]:
    """The compiled SQL of every indicator and derived table, from the warehouse's cache
    (filled by step e)."""
    cache = method_cache.MethodCache.read(warehouse.con)
    unbound = {}

    def fresh(indicator):
        unbound.setdefault("tables", unbound_inputs(indicators, warehouse.con))
        return compile_method(indicator, warehouse.con, unbound["tables"])

    methods = {i.code: cache.method(i, lambda i=i: fresh(i)) for i in indicators}
    compiled = {code: Sql(m.compute_sql, m.prepare_sql, m.columns) for code, m in methods.items()}
    derived = derived_tables()
    for name in needed_tables(indicators)[1]:  # kept under their cache entry's name
        sql = cache.derived(
            name,
            lambda name=name: ibis.to_sql(
                derived[name].build(unbound_inputs(indicators, warehouse.con)), dialect="duckdb"
            ),
        )
        compiled[f"{method_cache.DERIVED_PREFIX}{name}"] = Sql(sql)
    return compiled


def start_spark() -> float:
    """Start the Spark session once (it is reused by every Spark engine of the process)."""
    # No console progress bars in the middle of the figures (the session's own settings are
    # the product's; this only adds a display option).
    os.environ.setdefault(
        "PYSPARK_SUBMIT_ARGS", "--conf spark.ui.showConsoleProgress=false pyspark-shell"
    )
    from hospiscope.engines.spark_engine import spark_session

    return timed(spark_session)[1]


# --------------------------------------------------------------------------- pandas baseline


def run_pandas(warehouse: Warehouse, indicators: list[Indicator], repeat: int) -> Runs:
    runs, names = Runs(PANDAS), input_tables(indicators)
    for attempt in range(repeat):
        frames, load = timed(
            lambda: {name: warehouse.con.sql(f'SELECT * FROM "{name}"').df() for name in names}
        )
        results, compute = timed(
            lambda frames=frames: {
                indicator.code: pandas_results(indicator, frames)
                for frames in [add_reference_derived(frames, indicators)]
                for indicator in indicators
            }
        )
        runs.record(load, compute, results)
        say(f"pandas essai {attempt + 1}/{repeat} : chargement", load)
        say(f"pandas essai {attempt + 1}/{repeat} : calcul", compute)
    return runs


def pandas_results(indicator: Indicator, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The reference engine: the indicator's pandas implementation at every level."""
    return reference_evaluate(indicator, frames)[list(RESULT_COLUMNS)]


# --------------------------------------------------------------------------- correctness


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    keys = list(RESULT_COLUMNS[:3])
    frame = pd.DataFrame(
        {
            **{key: frame[key].astype(str) for key in keys},
            **{
                value: pd.to_numeric(frame[value], errors="coerce").astype("float64")
                for value in RESULT_COLUMNS[3:]
            },
        }
    )
    return frame.sort_values(keys, ignore_index=True)


def differences(expected: pd.DataFrame, actual: pd.DataFrame) -> list[str]:
    """Rows missing on either side, duplicated, or with another numerator or denominator."""
    keys = list(RESULT_COLUMNS[:3])
    expected, actual = normalised(expected), normalised(actual)
    found = [
        f"clé en double ({side}) : {tuple(row)}"
        for side, frame in (("DuckDB", expected), ("moteur", actual))
        for row in frame[frame.duplicated(keys)][keys].itertuples(index=False)
    ]
    merged = expected.merge(
        actual, on=keys, how="outer", suffixes=("_duckdb", "_autre"), indicator="side"
    )
    for row in merged.itertuples(index=False):
        key = (row.entity_kind, row.entity_id, row.period)
        if row.side != "both":
            side = "DuckDB seulement" if row.side == "left_only" else "absent de DuckDB"
            found.append(f"{key} : {side}")
            continue
        for value in RESULT_COLUMNS[3:]:
            ours, theirs = getattr(row, f"{value}_duckdb"), getattr(row, f"{value}_autre")
            if not _same(ours, theirs):
                found.append(f"{key} : {value} {ours} (DuckDB) ≠ {theirs}")
    return found


def _same(ours, theirs) -> bool:
    """Equal, or both missing. Sums of fractional scores (e-Satis item scores are ninths of
    100) depend on the engine's summation order in the last bits: 1e-12 relative is equal."""
    if pd.isna(ours) or pd.isna(theirs):
        return pd.isna(ours) and pd.isna(theirs)
    return ours == theirs or math.isclose(ours, theirs, rel_tol=RELATIVE_TOLERANCE)


def check_results(all_runs: list[Runs]) -> dict[str, list[str]]:
    """Differences of every engine (and pandas) with DuckDB, per indicator."""
    baseline = next(runs for runs in all_runs if runs.name == BASELINE)
    report = {}
    for runs in all_runs:
        if runs is baseline:
            continue
        found = []
        for code, expected in baseline.results.items():
            found += [f"{code} {line}" for line in differences(expected, runs.results[code])]
        report[runs.name] = found
    return report


def print_check(report: dict[str, list[str]]) -> bool:
    identical = True
    for name, found in report.items():
        if not found:
            console.print(f"  {name} : résultats identiques à DuckDB")
            continue
        identical = False
        console.print(f"  [red]{name} : {len(found)} différence(s) avec DuckDB[/red]")
        for line in found[:MAX_DIFFERENCES_SHOWN]:
            console.print(f"    {line}")
    if identical:
        console.print(
            "  [green]résultats identiques[/green] (entity_kind, entity_id, period, "
            "numerator, denominator) pour tous les moteurs et pandas"
        )
    return identical


# --------------------------------------------------------------------------- report


@dataclass
class Row:
    name: str
    load: float
    compute_median: float
    compute_min: float
    total: float
    compute_vs_duckdb: float = float("nan")
    total_vs_duckdb: float = float("nan")
    compute_vs_pandas: float = float("nan")
    total_vs_pandas: float = float("nan")


def summary(all_runs: list[Runs]) -> list[Row]:
    rows = [
        Row(
            runs.name,
            statistics.median(runs.load_s),
            statistics.median(runs.compute_s),
            min(runs.compute_s),
            statistics.median(runs.total_s),
        )
        for runs in all_runs
    ]
    by_name = {row.name: row for row in rows}
    duck, pandas_row = by_name[BASELINE], by_name.get(PANDAS)
    for row in rows:
        row.compute_vs_duckdb = row.compute_median / duck.compute_median
        row.total_vs_duckdb = row.total / duck.total
        if pandas_row:
            row.compute_vs_pandas = row.compute_median / pandas_row.compute_median
            row.total_vs_pandas = row.total / pandas_row.total
    return rows


LABELS = {
    "duckdb": "DuckDB",
    "polars": "Polars",
    "spark": "Spark (local[2])",
    "pandas": "pandas (référence)",
}
HEADERS = (
    "Moteur",
    "Chargement (s)",
    "Calcul médiane (s)",
    "Calcul min (s)",
    "Total (s)",
    "Calcul / DuckDB",
    "Total / DuckDB",
    "Calcul / pandas",
    "Total / pandas",
)


def cells(row: Row) -> list[str]:
    return [
        LABELS.get(row.name, row.name),
        f"{row.load:.2f}",
        f"{row.compute_median:.2f}",
        f"{row.compute_min:.2f}",
        f"{row.total:.2f}",
        f"{row.compute_vs_duckdb:.2f}×",
        f"{row.total_vs_duckdb:.2f}×",
        f"{row.compute_vs_pandas:.2f}×",
        f"{row.total_vs_pandas:.2f}×",
    ]


def print_table(rows: list[Row], repeat: int) -> None:
    table = Table(
        title=f"Calcul du catalogue complet ({repeat} essai(s) par moteur ; "
        "total = médiane de (chargement + calcul) par essai)"
    )
    for index, header in enumerate(HEADERS):
        table.add_column(header, justify="left" if index == 0 else "right", no_wrap=index == 0)
    for row in rows:
        table.add_row(*cells(row))
    console.print(table)


def print_goals(rows: list[Row], steps: dict[str, float]) -> None:
    """Issue 8's goals: DuckDB ≥ 5× pandas on the spine; fixed cost ≤ 20 ms per indicator."""
    by_name = {row.name: row for row in rows}
    duck, pandas_row = by_name[BASELINE], by_name.get(PANDAS)
    if pandas_row:
        for label, ours, theirs in (
            ("calcul", duck.compute_median, pandas_row.compute_median),
            ("chargement + calcul", duck.total, pandas_row.total),
        ):
            ratio = theirs / ours
            reached = "atteint" if ratio >= 5 else "NON"
            console.print(f"  pandas / DuckDB ({label}) : {ratio:.2f}× (objectif ≥ 5× : {reached})")
    if STEP_FIXED in steps:
        reached = "atteint" if steps[STEP_FIXED] <= GOAL_FIXED_MS else "NON"
        console.print(
            f"  coût fixe par indicateur : {steps[STEP_FIXED]:.1f} ms en cache, "
            f"{steps[STEP_FIXED_COLD]:.1f} ms à froid (objectif ≤ {GOAL_FIXED_MS:.0f} ms : "
            f"{reached})"
        )


def markdown(rows: list[Row], steps: dict[str, float], context: dict) -> str:
    lines = [
        f"Banc `bench/bench_spine.py` du {context['machine']['date'][:10]} : "
        f"{thousands(context['establishments'])} établissements au registre (dont "
        f"{thousands(context['participants'])} avec des réponses), "
        f"{thousands(context['responses'])} réponses "
        f"e-Satis (campagne 2024, échelle {context['scale']:g}), {context['indicators']} "
        f"indicateurs ; {context['machine']['cpus']} cœurs, "
        f"{context['machine']['memory_gb']} Go, Python {context['machine']['python']}, "
        f"DuckDB {context['machine']['duckdb']}, Polars {context['machine']['polars']}, "
        f"PySpark {context['machine']['pyspark']}, pandas {context['machine']['pandas']}; "
        f"médiane de {context['repeat']} essai(s).",
        "",
        "| Étape | Durée (s, sauf mention) |",
        "|---|---:|",
        *[f"| {label} | {seconds:.2f} |" for label, seconds in steps.items()],
        "",
        f"Mémoire maximale du processus : {peak_memory_mb():.0f} Mo.",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|---|" + "---:|" * (len(HEADERS) - 1),
        *["| " + " | ".join(cells(row)) + " |" for row in rows],
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main

STEP_REGISTRY = "a. Importation du registre complet (+ groupes de pairs)"
STEP_ESATIS = "b. Importation e-Satis (3 fichiers, tout ou rien)"
STEP_SPARK = "Démarrage de la session Spark (une fois)"
STEP_COLD = "e. compute_indicators DuckDB, à froid (compilation, finalisation, stockage)"
STEP_FULL = "e. compute_indicators DuckDB, méthodes en cache (finalisation, stockage)"
STEP_FIXED_COLD = "f. coût fixe par indicateur, à froid (ms, entrepôt minuscule)"
STEP_FIXED = "f. coût fixe par indicateur, méthodes en cache (ms, entrepôt minuscule)"
FIXED_SCALE = 0.001
GOAL_FIXED_MS = 20.0


@dataclass
class Imported:
    establishments: int
    participants: int
    responses: int
    lines: int
    files: DemoFiles


def imports(warehouse: Warehouse, args: argparse.Namespace, steps: dict[str, float]) -> Imported:
    """Steps a and b (and, untimed in the comparison, demo generation and capacities)."""
    _, steps[STEP_REGISTRY] = timed(
        lambda: pipeline.import_registry(warehouse, pipeline.bundled_registry())
    )
    establishments = warehouse.count("establishments")
    say(STEP_REGISTRY, steps[STEP_REGISTRY], f"{thousands(establishments)} établissements")
    files = demo_files(warehouse, args.out, args.scale)
    if files.generation_s is not None:
        say("génération de la démo (une fois, hors comparaison)", files.generation_s)
    else:
        console.print(f"  fichiers de démo réutilisés : {files.capacity.parent}")
    _, capacity_s = timed(lambda: pipeline.import_capacity(warehouse, files.capacity))
    say("importation des capacités (hors comparaison)", capacity_s)
    lines, steps[STEP_ESATIS] = timed(lambda: import_esatis_files(warehouse, files.esatis))
    responses = sum(warehouse.count(q.table) for q in QUESTIONNAIRES.values())
    participants_count = responding_establishments(warehouse)
    say(
        STEP_ESATIS,
        steps[STEP_ESATIS],
        f"{thousands(lines)} lignes, {thousands(round(lines / steps[STEP_ESATIS]))} lignes/s",
    )
    console.print(
        f"  {thousands(responses)} réponses (mco48h + ca + smr) de "
        f"{thousands(participants_count)} établissements"
    )
    return Imported(establishments, participants_count, responses, lines, files)


def responding_establishments(warehouse: Warehouse) -> int:
    union = " UNION ".join(f'SELECT finess_et FROM "{q.table}"' for q in QUESTIONNAIRES.values())
    return warehouse.con.execute(f"SELECT count(*) FROM ({union})").fetchall()[0][0]


def computations(
    warehouse: Warehouse,
    args: argparse.Namespace,
    indicators: list[Indicator],
    steps: dict[str, float],
) -> list[Runs]:
    """Step e (the product's full path, cold then warm: it fills the method cache), then
    c (every engine) and d (pandas)."""
    for step in (STEP_COLD, STEP_FULL):
        method_cache.forget()
        computation, steps[step] = timed(
            lambda: compute_indicators(warehouse, engine_name=BASELINE)
        )
        say(step, steps[step], f"{computation.compiled} compilé(s)")
    methods = cached_methods(warehouse, indicators)
    all_runs = []
    for name in args.engines:
        if name == "spark":
            steps[STEP_SPARK] = start_spark()
            say(STEP_SPARK, steps[STEP_SPARK])
        all_runs.append(run_engine(name, warehouse, indicators, args.repeat, methods))
    all_runs.append(run_pandas(warehouse, indicators, args.repeat))
    return all_runs


def fixed_cost(out: Path, steps: dict[str, float]) -> None:
    """Step f: the whole catalogue on a tiny demo warehouse (built here, not timed), cold
    (no compiled method kept) then warm; milliseconds per indicator."""
    path = out / f"fixed-cost-{FIXED_SCALE:g}.duckdb"
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    count = len(catalogue())
    with Warehouse(path) as warehouse:
        pipeline.build_demo(warehouse, out / f"fixed-cost-{FIXED_SCALE:g}", scale=FIXED_SCALE)
        warehouse.con.execute(f"DELETE FROM {method_cache.TABLE}")
        for step in (STEP_FIXED_COLD, STEP_FIXED):
            method_cache.forget()
            computation, seconds = timed(lambda: compute_indicators(warehouse))
            steps[step] = 1000 * seconds / count
            per = statistics.median(computation.seconds.values()) * 1000
            goal = "" if step == STEP_FIXED_COLD else f" (objectif ≤ {GOAL_FIXED_MS:.0f} ms)"
            console.print(
                f"  {step:<58} {steps[step]:8.1f} ms{goal} ; médiane du calcul d'un "
                f"indicateur (moteur + finalisation) {per:.1f} ms ; "
                f"{computation.compiled} compilé(s)"
            )


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def main(argv: list[str] | None = None) -> int:
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # before pyspark is imported (lazily)
    args = parse_args(argv)
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    console.rule("hospiscope — banc de la colonne vertébrale")
    console.print("  " + ", ".join(f"{key} {value}" for key, value in info.items()))
    indicators = list(catalogue().values())
    steps: dict[str, float] = {}

    console.rule("Importations")
    with fresh_warehouse(args.out, args.scale) as warehouse:
        imported = imports(warehouse, args, steps)
        console.rule(f"Calcul de {len(indicators)} indicateurs : {', '.join(catalogue())}")
        all_runs = computations(warehouse, args, indicators, steps)
    steps["mémoire maximale du processus (Mo)"] = peak_memory_mb()
    console.rule("Coût fixe par indicateur")
    fixed_cost(args.out, steps)

    console.rule("Vérification")
    report = check_results(all_runs)
    identical = print_check(report)

    console.rule("Résultats")
    rows = summary(all_runs)
    print_table(rows, args.repeat)
    print_goals(rows, steps)
    context = {
        "machine": info,
        "establishments": imported.establishments,
        "participants": imported.participants,
        "responses": imported.responses,
        "lines": imported.lines,
        "generation_s": imported.files.generation_s,
        "scale": args.scale,
        "indicators": len(indicators),
        "repeat": args.repeat,
    }
    console.print("\nMarkdown (README) :\n")
    print(markdown(rows, steps, context))
    elapsed = time.perf_counter() - started
    console.print(f"\nDurée totale du banc : {elapsed:.1f} s")
    if args.json:
        write_json(args.json, context, steps, all_runs, rows, report, elapsed)
    return 0 if identical else 1


def write_json(
    path: Path,
    context: dict,
    steps: dict[str, float],
    all_runs: list[Runs],
    rows: list[Row],
    report: dict[str, list[str]],
    elapsed: float,
) -> None:
    figures = {
        **context,
        "steps_s": steps,
        "runs": {
            runs.name: {"load_s": runs.load_s, "compute_s": runs.compute_s} for runs in all_runs
        },
        "summary": [row.__dict__ for row in rows],
        "differences": report,
        "identical": not any(report.values()),
        "elapsed_s": elapsed,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
