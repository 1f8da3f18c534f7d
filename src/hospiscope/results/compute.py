"""Computing indicators from the warehouse with an engine, and storing the results."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd

from hospiscope.catalogue import Indicator, catalogue, get_indicator
from hospiscope.catalogue.derived import derived_tables
from hospiscope.engines import make_engine
from hospiscope.engines.levels import LevelGroups
from hospiscope.engines.runner import (
    Sql,
    complete_levels,
    engine_groups,
    evaluate,
    input_tables,
    needed_tables,
)
from hospiscope.progress import NoProgress, Progress
from hospiscope.results.finalize import finalize
from hospiscope.results.fingerprint import CompiledMethod, compile_method, unbound_inputs
from hospiscope.results.method_cache import MethodCache
from hospiscope.results.store import (
    STORED_COLUMNS,
    check_definitions,
    record_computation,
    replace_results,
    start_computation,
)
from hospiscope.warehouse import Warehouse


@dataclass
class Computation:
    computation_id: int
    engine: str
    rows: dict[str, int] = field(default_factory=dict)  # indicator → stored result rows
    seconds: dict[str, float] = field(default_factory=dict)  # indicator → engine time
    duration_s: float = 0.0
    compiled: int = 0  # indicators and derived tables compiled (the others were cached)


def compute_indicators(
    warehouse: Warehouse,
    codes: list[str] | None = None,
    engine_name: str = "duckdb",
    progress: Progress | None = None,
) -> Computation:
    """Compute `codes` (default: the whole catalogue) and store their results in one
    transaction; earlier method versions are kept."""
    progress = progress or NoProgress()
    indicators = [get_indicator(code) for code in codes] if codes else list(catalogue().values())
    engine = make_engine(engine_name)
    started, clock = dt.datetime.now(), time.perf_counter()
    computed, seconds = [], {}
    progress.start(f"Calcul des indicateurs ({engine.label})", total=len(indicators))
    try:
        # Every input table reaches the engine once per computation run (a copy for Polars
        # and Spark), shared by all the indicators that read it.
        run = _Run(warehouse, indicators, MethodCache.read(warehouse.con), started)
        run.prepare(engine)
        # Every indicator's own query first, then the registry levels of all of them in one
        # query (engines.registry_pool), then the finalisation of each.
        pooled, methods = {}, {}
        for indicator in indicators:
            tick = time.perf_counter()
            methods[indicator.code] = method = run.method(indicator)
            pooled[indicator.code] = (indicator, _evaluate_one(engine, run, indicator, method))
            seconds[indicator.code] = time.perf_counter() - tick
        tick = time.perf_counter()
        raws = complete_levels(engine, pooled)
        shared = (time.perf_counter() - tick) / max(len(indicators), 1)
        for indicator in indicators:
            tick = time.perf_counter()
            computed.append(
                _finalised(run, indicator, methods[indicator.code], raws[indicator.code])
            )
            seconds[indicator.code] += time.perf_counter() - tick + shared
            progress.advance()
    finally:
        engine.close()
    computation = _store(warehouse, engine_name, computed, seconds, started, clock, run.cache)
    computation.compiled = run.cache.compiled
    return computation


@dataclass
class _Run:
    """What the indicators of one computation run share."""

    warehouse: Warehouse
    indicators: list[Indicator]
    cache: MethodCache
    started: dt.datetime
    tables: dict = field(default_factory=dict)  # Ibis tables: warehouse inputs, derived
    groups: LevelGroups | None = None  # None: the engine pools in SQL
    _unbound: dict | None = None
    _import_runs: dict[str, set[int]] = field(default_factory=dict)

    def prepare(self, engine) -> None:
        """Every input reaches the engine once per run, shared by the indicators that read
        it. An engine that runs SQL reads the warehouse in place and gets the derived tables
        from their cached SQL (no Ibis table is built); the others get Ibis tables (copies
        for Polars and Spark) and the registry's groupings for pooling."""
        if not engine.pools_in_sql:
            self.tables = input_tables(engine, self.warehouse.con, self.indicators)
            self.groups = engine_groups(engine, self.tables)
            return
        engine.from_warehouse(self.warehouse.con, [])
        derived = derived_tables()
        for name in needed_tables(self.indicators)[1]:
            sql = self.cache.derived(
                name,
                lambda name=name: ibis.to_sql(
                    derived[name].build(self.unbound()), dialect="duckdb"
                ),
            )
            engine.create_from_sql(name, sql)

    def method(self, indicator: Indicator) -> CompiledMethod:
        return self.cache.method(
            indicator, lambda: compile_method(indicator, self.warehouse.con, self.unbound())
        )

    def unbound(self) -> dict:
        """Schema-only inputs of every indicator, for compiles (built at the first one)."""
        if self._unbound is None:
            self._unbound = unbound_inputs(self.indicators, self.warehouse.con)
        return self._unbound

    def import_runs(self, indicator: Indicator) -> list[int]:
        """The import runs whose data the indicator read (its inputs and the registry
        tables), each table asked once per run."""
        tables = [t for t in needed_tables([indicator])[0] if t != "peer_groups"]
        if any(table not in self._import_runs for table in tables):
            self._read_import_runs()
        found: set[int] = set()
        for table in tables:
            found |= self._import_runs[table]
        return sorted(found)

    def _read_import_runs(self) -> None:
        """The import runs of every table the run's indicators read, in one query (one per
        table cost ~1 ms each)."""
        tables = [t for t in needed_tables(self.indicators)[0] if t != "peer_groups"]
        union = " UNION ALL ".join(
            f"SELECT DISTINCT '{table}' AS name, import_run_id FROM \"{table}\"" for table in tables
        )
        self._import_runs.update({table: set() for table in tables})
        for name, run_id in self.warehouse.con.execute(union).fetchall() if tables else []:
            self._import_runs[name].add(run_id)


@dataclass(frozen=True)
class _Computed:
    """An indicator's finalised frame and what every one of its rows will share."""

    frame: pd.DataFrame
    code: str
    method_version: str
    definition_hash: str
    import_runs: list[int]


def _evaluate_one(engine, run: _Run, indicator: Indicator, method: CompiledMethod):
    sql = Sql(method.compute_sql, method.prepare_sql, method.columns or None)
    return evaluate(engine, indicator, run.tables, run.groups, sql, deferred=True)


def _finalised(
    run: _Run, indicator: Indicator, method: CompiledMethod, raw: pd.DataFrame
) -> _Computed:
    return _Computed(
        finalize(indicator, raw),
        indicator.code,
        indicator.meta.method_version,
        method.definition_hash,
        run.import_runs(indicator),
    )


def _store(
    warehouse: Warehouse,
    engine_name: str,
    computed: list[_Computed],
    seconds: dict[str, float],
    started: dt.datetime,
    clock: float,
    cache: MethodCache,
) -> Computation:
    with warehouse.transaction() as con:
        cache.save(con)
        computation_id = start_computation(con)
        computation = Computation(computation_id, engine_name, seconds=seconds)
        stored = [one for one in computed if len(one.frame)]
        for one in stored:
            computation.rows[one.code] = len(one.frame)
        check_definitions(con, [(o.code, o.method_version, o.definition_hash) for o in stored])
        if stored:
            # One DELETE and one INSERT for the whole run: per indicator, they cost more
            # than the computation of most indicators.
            every = _stacked(stored, started)
            every["computation_id"] = computation_id
            replace_results(con, every[list(STORED_COLUMNS)])
        computation.duration_s = time.perf_counter() - clock
        record_computation(
            con, computation_id, engine_name, list(seconds), started, computation.duration_s
        )
    return computation


def _stacked(stored: list[_Computed], started: dt.datetime) -> pd.DataFrame:
    """Every indicator's rows in one frame, with the columns that say which computation they
    come from: set once for the whole run (column insertions per indicator cost ~1 ms)."""
    every = pd.concat([one.frame for one in stored], ignore_index=True)
    lengths = [len(one.frame) for one in stored]
    for column in ("code", "method_version", "definition_hash"):
        shared = np.array([getattr(one, column) for one in stored], dtype=object)
        every["indicator_code" if column == "code" else column] = np.repeat(shared, lengths)
    every["import_runs"] = [runs for one in stored for runs in [one.import_runs] * len(one.frame)]
    every["computed_at"] = started
    every["origin"] = "calcul"
    return every
