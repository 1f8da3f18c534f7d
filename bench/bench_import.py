"""Benchmark of issue 8 (import): the e-Satis files of the national 2024 campaign (responses of
the three questionnaires and their participation lists, about 1.34 M lines at scale 1) imported
by hospiscope, side by side with the floor measured in the same run.

    .venv/bin/python bench/bench_import.py [--out bench/out] [--scale 1.0] [--repeat 1]
        [--before DIR]   # DIR: `src` of another version (git archive <commit> src | tar -x)

The floor is the least any import of these files costs: DuckDB reads each file once with
`read_csv` (the column types given, dates parsed by the reader) and stores it typed with
`CREATE TABLE AS` in a fresh DuckDB file — no check, no record of the run. hospiscope's import
does the same work plus every check (all or nothing), the import-run records and the FINESS
report. Each measurement runs in a fresh process (its peak memory is its own, from
`resource.getrusage`); with `--repeat N` the best time of N is kept. Generating the files is
not timed (written once per scale, then reused).

Goal of issue 8: import + compute ≤ 1.5× the floor for the whole IQSS campaign (bench_iqss.py
times the compute step); this bench reports the import's share. Measured on 2 shared cores
(2026-12-03, best of 3, interleaved with `--before` = the code before issue 8): scale 1,
floor 3.4 s, import 5.1 s (1.50×, 600 MiB) against 5.1 s (1.50×, 760 MiB) before; scale
0.25, 1.36× against 1.72×. The import's own cost is the checks DuckDB evaluates on every value
(about 1.5 s of the 5 at scale 1); the copy from staging that the one pass removed was cheap.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CAMPAIGN = 2024
GOAL_RATIO = 1.5
STEPS = ("prepare", "floor", "import")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--before",
        type=Path,
        help="the `src` folder of another version (e.g. `git archive <commit> src`): its import "
        "is measured in the same run, interleaved, for a before / after ratio",
    )
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    directory = args.out / f"import-scale-{args.scale:g}"
    if args.step:  # a child process: one step, its measurement printed as JSON
        steps = {"prepare": prepare, "floor": floor, "import": hospiscope_import}
        print(json.dumps(steps[args.step](directory, args.scale)))
        return 0
    # Every step in a child process: a child's peak memory (ru_maxrss) starts from its
    # parent's at the fork, which therefore stays small.
    _child("prepare", directory, args.scale)
    best: dict[str, dict] = {}
    measures = [("floor", "floor", None), ("import", "import", None)]
    if args.before:
        measures.append(("before", "import", args.before.resolve()))
    for _ in range(args.repeat):
        for name, step, source in measures:  # interleaved: all see the same machine load
            found = _child(step, directory, args.scale, source)
            if name not in best or found["seconds"] < best[name]["seconds"]:
                best[name] = found
    report(best, args.repeat)
    return 0


def prepare(directory: Path, scale: float) -> dict:
    """The campaign's files, and a warehouse holding the registry and the capacities (what an
    e-Satis import finds in place), written once per scale and not timed."""
    from hospiscope import pipeline
    from hospiscope.demo.files import write_demo_files
    from hospiscope.warehouse import Warehouse

    base = directory / "registre.duckdb"
    if (directory / "demo" / "esatis").exists() and base.exists():
        return {}
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    started = time.perf_counter()
    with Warehouse(base) as warehouse:
        pipeline.import_registry(warehouse, pipeline.bundled_registry())
        registry = warehouse.con.sql(
            "SELECT finess_et, category_code, legal_status, region_code "
            "FROM establishments ORDER BY finess_et"
        ).pl()
        write_demo_files(registry, directory / "demo", scale=scale, campaigns=(CAMPAIGN,))
        pipeline.import_capacity(warehouse, next((directory / "demo").glob("capacites-*.csv")))
    return {"seconds": time.perf_counter() - started}


def _files(directory: Path) -> tuple[list[Path], list[Path]]:
    files = sorted((directory / "demo" / "esatis").glob("*.csv"))
    return (
        [f for f in files if "-reponses-" in f.name],
        [f for f in files if "-participation-" in f.name],
    )


def _child(step: str, directory: Path, scale: float, source: Path | None = None) -> dict:
    command = [sys.executable, __file__, "--out", str(directory.parent), "--scale", f"{scale:g}"]
    environment = dict(os.environ, PYTHONPATH=str(source)) if source else None
    done = subprocess.run(
        [*command, "--step", step], check=True, capture_output=True, text=True, env=environment
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor(directory: Path, scale: float) -> dict:
    """Read every file once and store it typed in a fresh DuckDB file."""
    import duckdb

    from hospiscope.sources.esatis.layout import columns
    from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES

    responses, participation = _files(directory)
    target = directory / "plancher.duckdb"
    _remove(target)
    participation_types = {"finess": "VARCHAR", "campagne": "INTEGER", "questionnaire": "VARCHAR"}
    clock = time.perf_counter()
    with duckdb.connect(str(target)) as con:
        for index, path in enumerate(participation):
            con.execute(
                f"""CREATE TABLE participation_{index} AS SELECT finess, campagne, questionnaire,
                participation = 'oui' AS participation, depot_valide = 'oui' AS depot_valide
                FROM read_csv(?, delim = ';', header = true, types = ?)""",
                [str(path), participation_types],
            )
        for path in responses:
            questionnaire = QUESTIONNAIRES[path.name.split("-")[1]]
            types = {c.name: c.sql_type for c in columns(questionnaire)}
            con.execute(
                f"""CREATE TABLE {questionnaire.table} AS SELECT * FROM read_csv(?, delim = ';',
                header = true, types = ?, dateformat = '%d/%m/%Y')""",
                [str(path), types],
            )
        con.execute("CHECKPOINT")
        rows = sum(
            con.execute(f"SELECT count(*) FROM {q.table}").fetchall()[0][0]
            for q in QUESTIONNAIRES.values()
        )
    seconds = time.perf_counter() - clock
    _remove(target)
    return {"seconds": seconds, "peak_mib": _peak_mib(), "rows": rows}


def hospiscope_import(directory: Path, scale: float) -> dict:
    """hospiscope's import of the same files, into a copy of the prepared warehouse."""
    from hospiscope import pipeline
    from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES
    from hospiscope.warehouse import Warehouse

    responses, participation = _files(directory)
    target = directory / "import.duckdb"
    _remove(target)
    shutil.copy(directory / "registre.duckdb", target)
    with Warehouse(target) as warehouse:
        clock = time.perf_counter()
        for path in participation:
            pipeline.import_tabular(warehouse, "esatis-participation", path)
        for path in responses:
            pipeline.import_esatis(warehouse, path)
        warehouse.con.execute("CHECKPOINT")
        seconds = time.perf_counter() - clock
        rows = sum(warehouse.count(q.table) for q in QUESTIONNAIRES.values())
    _remove(target)
    return {"seconds": seconds, "peak_mib": _peak_mib(), "rows": rows}


def _remove(path: Path) -> None:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)


def _peak_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(best: dict[str, dict], repeat: int) -> None:
    floor_s, import_s = best["floor"]["seconds"], best["import"]["seconds"]
    ratio = import_s / floor_s
    print(
        f"hospiscope — banc d'importation du {time.strftime('%Y-%m-%d')} ; {os.cpu_count()} "
        f"cœurs, Python {platform.python_version()} ; meilleur de {repeat}"
    )
    print(
        f"Réponses e-Satis de la campagne {CAMPAIGN} : {best['import']['rows']:,}".replace(
            ",", "\u202f"
        )
    )
    if best["import"]["rows"] != best["floor"]["rows"]:
        print(f"  ATTENTION : le plancher a lu {best['floor']['rows']} réponses")
    print("| mesure | secondes | rapport au plancher | mémoire max (Mio) |")
    print("|---|---:|---:|---:|")
    print(
        f"| plancher (read_csv typé, CREATE TABLE AS) | {floor_s:.2f} | 1.00× | "
        f"{best['floor']['peak_mib']:.0f} |"
    )
    print(
        f"| importation hospiscope (tout ou rien) | {import_s:.2f} | {ratio:.2f}× | "
        f"{best['import']['peak_mib']:.0f} |"
    )
    if "before" in best:
        before = best["before"]
        print(
            f"| importation, version de --before | {before['seconds']:.2f} | "
            f"{before['seconds'] / floor_s:.2f}× | {before['peak_mib']:.0f} |"
        )
    verdict = "atteint" if ratio <= GOAL_RATIO else "NON atteint"
    print(
        f"Importation seule : {ratio:.2f}× le plancher (objectif de l'issue 8, importation + "
        f"calcul ≤ {GOAL_RATIO}× : {verdict} pour l'importation seule)"
    )


if __name__ == "__main__":
    sys.exit(main())
