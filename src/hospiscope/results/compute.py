"""Computing indicators from the warehouse with an engine, and storing the results."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import pandas as pd

from hospiscope.catalogue import Indicator, catalogue, get_indicator
from hospiscope.engines import make_engine
from hospiscope.engines.levels import LevelGroups
from hospiscope.engines.runner import Sql, engine_groups, evaluate, input_tables, needed_tables
from hospiscope.progress import NoProgress, Progress
from hospiscope.results.finalize import finalize
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.results.store import (
    STORED_COLUMNS,
    check_definition,
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
    frames, seconds = [], {}
    progress.start(f"Calcul des indicateurs ({engine.label})", total=len(indicators))
    try:
        # Every input table reaches the engine once per computation run (a copy for Polars
        # and Spark), shared by all the indicators that read it.
        run = _Run(
            tables := input_tables(engine, warehouse.con, indicators),
            engine_groups(engine, tables),
            unbound_inputs(indicators, warehouse.con),
            started,
        )
        for indicator in indicators:
            tick = time.perf_counter()
            frames.append(_compute_one(warehouse, engine, run, indicator))
            seconds[indicator.code] = time.perf_counter() - tick
            progress.advance()
    finally:
        engine.close()
    return _store(warehouse, engine_name, frames, seconds, started, clock)


@dataclass
class _Run:
    """What the indicators of one computation run share."""

    tables: dict  # engine tables: warehouse inputs and derived tables
    groups: LevelGroups
    unbound: dict  # schema-only inputs, for the fingerprints
    started: dt.datetime


def _compute_one(warehouse: Warehouse, engine, run: _Run, indicator: Indicator) -> pd.DataFrame:
    method = compile_method(indicator, warehouse.con, run.unbound)
    sql = Sql(method.compute_sql, method.prepare_sql)
    raw = evaluate(engine, indicator, run.tables, run.groups, sql)
    frame = finalize(indicator, raw)
    frame["indicator_code"] = indicator.code
    frame["method_version"] = indicator.meta.method_version
    frame["definition_hash"] = method.definition_hash
    frame["import_runs"] = [_import_runs(warehouse, indicator)] * len(frame)
    frame["computed_at"] = run.started
    frame["origin"] = "calcul"
    return frame


def _import_runs(warehouse: Warehouse, indicator: Indicator) -> list[int]:
    """The import runs whose data the indicator read (its inputs and the registry tables)."""
    tables = [t for t in needed_tables([indicator])[0] if t != "peer_groups"]
    union = " UNION ".join(f'SELECT DISTINCT import_run_id FROM "{t}"' for t in tables)
    return sorted(row[0] for row in warehouse.con.execute(union).fetchall())


def _store(
    warehouse: Warehouse,
    engine_name: str,
    frames: list[pd.DataFrame],
    seconds: dict[str, float],
    started: dt.datetime,
    clock: float,
) -> Computation:
    with warehouse.transaction() as con:
        computation_id = start_computation(con)
        computation = Computation(computation_id, engine_name, seconds=seconds)
        stored = [frame for frame in frames if len(frame)]
        for frame in stored:
            first = frame.iloc[0]
            check_definition(
                con, first["indicator_code"], first["method_version"], first["definition_hash"]
            )
            computation.rows[first["indicator_code"]] = len(frame)
        if stored:
            # One DELETE and one INSERT for the whole run: per indicator, they cost more
            # than the computation of most indicators.
            every = pd.concat(stored, ignore_index=True)
            every["computation_id"] = computation_id
            replace_results(con, every[list(STORED_COLUMNS)])
        computation.duration_s = time.perf_counter() - clock
        record_computation(
            con, computation_id, engine_name, list(seconds), started, computation.duration_s
        )
    return computation
