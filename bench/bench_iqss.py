"""Benchmark of issue 3: one national e-Satis campaign (2024: about 1.34 M responses of the
three questionnaires, for the real registry) from import to every score and class.

    .venv/bin/python bench/bench_iqss.py [--out bench/out] [--scale 1.0]

Goal: under 15 seconds on 2 cores for hospiscope (import of the response and participation
files with all-or-nothing validation, then every e-Satis indicator — 18 scores adjusted for
case mix, 3 recommendation rates — at every level, with CIs, statuses, classes, stored).
Baseline, measured side by side: a straightforward pandas pipeline doing the same work from
the same files (pandas.read_csv, then each indicator's pandas reference implementation,
aggregation to every level and the same finish). The results of both are compared.

The computation runs twice: cold (a warehouse that never computed: every indicator is
compiled, and the compiled methods are kept in it) and warm (any later computation: nothing
compiled, the usual case; goal of issue 8: ≤ 2 s at scale 1). The total is import + warm
compute; the cold one is printed too. Issue 8's goals: total ≤ 1.5× the floor (DuckDB reading
each file once and storing it typed, `bench_import.floor`, measured in the same run) and
≥ 5× the pandas baseline. Peak memory is the process's (ru_maxrss) after
hospiscope's steps and after the pandas baseline.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bench_import import floor
from hospiscope import pipeline
from hospiscope.catalogue import catalogue
from hospiscope.demo.files import write_demo_files
from hospiscope.engines.reference import add_reference_derived, reference_evaluate
from hospiscope.results import method_cache
from hospiscope.results.compute import compute_indicators
from hospiscope.results.finalize import finalize
from hospiscope.results.store import read_results
from hospiscope.sources.esatis.layout import columns
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES
from hospiscope.warehouse import Warehouse

GOAL_SECONDS = 15.0
GOAL_COMPUTE_SECONDS = 2.0
GOAL_FLOOR_RATIO = 1.5  # issue 8: import + compute ≤ 1.5× reading and storing the files once
GOAL_PANDAS_RATIO = 5.0  # issue 8: ≥ 5× the straightforward pandas implementation
CAMPAIGN = 2024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    directory = args.out / f"iqss-scale-{args.scale:g}"
    warehouse = prepared_warehouse(directory, args.scale)
    files = sorted((directory / "demo" / "esatis").glob("*.csv"))
    responses = [f for f in files if "-reponses-" in f.name]
    participation = [f for f in files if "-participation-" in f.name]

    clock = time.perf_counter()
    for path in participation:
        pipeline.import_tabular(warehouse, "esatis-participation", path)
    for path in responses:
        pipeline.import_esatis(warehouse, path)
    imported = time.perf_counter() - clock
    codes = [code for code in catalogue() if code.startswith("ESATIS")]
    cold = timed_compute(warehouse, codes)
    warm = timed_compute(warehouse, codes)
    lines = sum(warehouse.count(q.table) for q in QUESTIONNAIRES.values())
    peak_hospiscope = peak_memory_mb()

    baseline, pandas_results = pandas_pipeline(warehouse, responses, participation, codes)
    differences = compare(read_results(warehouse.con), pandas_results)
    # The floor of bench_import.py (DuckDB reads each file once and stores it typed), in the
    # same run.
    floor_seconds = floor(directory, args.scale)["seconds"]
    steps = Steps(imported, cold, warm, baseline, peak_hospiscope, peak_memory_mb(), floor_seconds)
    report(lines, len(codes), steps, differences)
    return 1 if differences else 0


def timed_compute(warehouse: Warehouse, codes: list[str]) -> tuple[float, int]:
    """(seconds, entries compiled) of one computation, as a new process would run it (the
    process's memo of the sources dropped)."""
    method_cache.forget()
    clock = time.perf_counter()
    computation = compute_indicators(warehouse, codes)
    return time.perf_counter() - clock, computation.compiled


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def prepared_warehouse(directory: Path, scale: float) -> Warehouse:
    """A warehouse holding the registry and the capacities; the campaign's files written once
    (generation is not timed)."""
    path = directory / "bench.duckdb"
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    warehouse = Warehouse(path)
    pipeline.import_registry(warehouse, pipeline.bundled_registry())
    registry = warehouse.con.sql(
        "SELECT finess_et, category_code, legal_status, region_code "
        "FROM establishments ORDER BY finess_et"
    ).pl()
    demo = directory / "demo"
    if not (demo / "esatis").exists():
        started = time.perf_counter()
        shutil.rmtree(demo, ignore_errors=True)
        write_demo_files(registry, demo, scale=scale, campaigns=(CAMPAIGN,))
        print(f"Génération des fichiers (une fois) : {time.perf_counter() - started:.1f} s")
    pipeline.import_capacity(warehouse, next(demo.glob("capacites-*.csv")))
    return warehouse


def pandas_pipeline(
    warehouse: Warehouse, responses: list[Path], participation: list[Path], codes: list[str]
) -> tuple[float, pd.DataFrame]:
    """The same work with pandas alone, timed from reading the files."""
    clock = time.perf_counter()
    frames = {
        "establishments": warehouse.con.sql("SELECT * FROM establishments").df(),
        "peer_groups": warehouse.con.sql("SELECT * FROM peer_groups").df(),
    }
    frames["esatis_participation"] = pd.concat([_participation(p) for p in participation])
    for path in responses:
        questionnaire = QUESTIONNAIRES[path.name.split("-")[1]]
        frames[questionnaire.table] = _responses(path, questionnaire)
    indicators = [catalogue()[code] for code in codes]
    frames = add_reference_derived(frames, indicators)
    results = pd.concat(
        [
            finalize(i, reference_evaluate(i, frames)).assign(indicator_code=i.code)
            for i in indicators
        ],
        ignore_index=True,
    )
    return time.perf_counter() - clock, results


def _responses(path: Path, questionnaire) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    renamed = {c.name: c.target for c in columns(questionnaire)}
    frame = frame.rename(columns=renamed).replace("", None)
    numeric = [
        c.target for c in columns(questionnaire) if c.sql_type in ("INTEGER", "SMALLINT", "TINYINT")
    ]
    frame[numeric] = frame[numeric].apply(pd.to_numeric)
    frame["complete"] = frame["complete"] == "1"
    return frame


def _participation(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    return pd.DataFrame(
        {
            "finess_et": frame["finess"],
            "campaign": frame["campagne"].astype(int),
            "questionnaire": frame["questionnaire"],
            "participated": frame["participation"] == "oui",
            "validated": frame["depot_valide"] == "oui",
        }
    )


def compare(stored: pd.DataFrame, expected: pd.DataFrame) -> list[str]:
    keys = ["indicator_code", "entity_kind", "entity_id", "period"]
    merged = stored.merge(expected, on=keys, suffixes=("", "_pandas"), how="outer", indicator=True)
    problems = (
        [f"{len(merged[merged['_merge'] != 'both'])} lignes sans correspondance"]
        if (merged["_merge"] != "both").any()
        else []
    )
    both = merged[merged["_merge"] == "both"]
    for column in ("numerator", "denominator", "value"):
        gap = (both[column].astype(float) - both[f"{column}_pandas"].astype(float)).abs()
        if (gap > 1e-6 * (1 + both[column].astype(float).abs())).any():
            problems.append(f"{column} : {int((gap > 1e-6).sum())} écarts")
    if (both["class"].fillna("") != both["class_pandas"].fillna("")).any():
        problems.append("classes différentes")
    return problems


@dataclass
class Steps:
    imported: float
    cold: tuple[float, int]  # (seconds, entries compiled)
    warm: tuple[float, int]
    baseline: float
    peak_mb: float  # after hospiscope's steps
    peak_with_pandas_mb: float
    floor: float  # reading the files once and storing them typed (bench_import.floor)

    @property
    def total(self) -> float:
        return self.imported + self.warm[0]


def report(lines: int, indicators: int, steps: Steps, differences: list[str]) -> None:
    cold, warm, total = steps.cold[0], steps.warm[0], steps.total
    print(
        f"hospiscope — banc IQSS du {time.strftime('%Y-%m-%d')} ; {os.cpu_count()} cœurs, "
        f"Python {platform.python_version()}"
    )
    print(f"Réponses e-Satis de la campagne {CAMPAIGN} : {lines:,}".replace(",", "\u202f"))
    print(f"  importation (réponses + participation, tout ou rien) : {steps.imported:6.1f} s")
    print(
        f"  calcul des {indicators} indicateurs, à froid ({steps.cold[1]} compilés)     : "
        f"{cold:6.2f} s"
    )
    print(
        f"  calcul des {indicators} indicateurs, méthodes en cache ({steps.warm[1]} compilés) : "
        f"{warm:6.2f} s (objectif ≤ {GOAL_COMPUTE_SECONDS:.0f} s : "
        f"{'atteint' if warm <= GOAL_COMPUTE_SECONDS else 'NON'}) ; "
        f"{1000 * warm / indicators:.0f} ms par indicateur"
    )
    print(
        f"  total hospiscope (importation + calcul en cache)       : {total:6.1f} s "
        f"(objectif < {GOAL_SECONDS:.0f} s : {'atteint' if total < GOAL_SECONDS else 'NON'}) ; "
        f"à froid {steps.imported + cold:.1f} s"
    )
    print(f"  pandas, même travail depuis les mêmes fichiers        : {steps.baseline:6.1f} s")
    pandas_ratio = steps.baseline / total
    print(
        f"  rapport pandas / hospiscope                           : "
        f"{pandas_ratio:6.2f}× (à froid {steps.baseline / (steps.imported + cold):.2f}×) "
        f"(objectif ≥ {GOAL_PANDAS_RATIO:.0f}× : "
        f"{'atteint' if pandas_ratio >= GOAL_PANDAS_RATIO else 'NON'})"
    )
    floor_ratio = total / steps.floor
    print(
        f"  plancher (lire les fichiers une fois, les stocker typés) : {steps.floor:6.1f} s ; "
        f"hospiscope / plancher {floor_ratio:.2f}× (objectif ≤ {GOAL_FLOOR_RATIO}× : "
        f"{'atteint' if floor_ratio <= GOAL_FLOOR_RATIO else 'NON'})"
    )
    print(
        f"  mémoire maximale : {steps.peak_mb:.0f} Mo après hospiscope, "
        f"{steps.peak_with_pandas_mb:.0f} Mo avec pandas"
    )
    print(
        "  résultats identiques à pandas"
        if not differences
        else f"  DIFFÉRENCES : {'; '.join(differences)}"
    )
    print(
        f"\n| étape | secondes |\n|---|---:|\n| importation | {steps.imported:.1f} |\n"
        f"| calcul à froid | {cold:.2f} |\n| calcul (méthodes en cache) | {warm:.2f} |\n"
        f"| total hospiscope | {total:.1f} |\n"
        f"| pandas | {steps.baseline:.1f} |\n"
        f"| pandas / hospiscope | {steps.baseline / total:.2f}× |"
        f"\n| plancher | {steps.floor:.1f} |\n| hospiscope / plancher | {floor_ratio:.2f}× |"
        f"\n| mémoire maximale (Mo) | {steps.peak_mb:.0f} |"
    )


if __name__ == "__main__":
    sys.exit(main())
