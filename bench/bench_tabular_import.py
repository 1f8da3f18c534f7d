"""Benchmark of issue 8 (one pass per import, tabular layouts): an audit file (`hospiscope
import audits`, one audited record per line) of several sizes imported by the one-pass path
(check and store in one `INSERT … SELECT`) and by the line-by-line reader, side by side with
the floor measured in the same run, and where the writer switches from one to the other.

    .venv/bin/python bench/bench_tabular_import.py [--out bench/out] [--repeat 3]
        [--lines 1500,6000,12000,100000] [--before DIR]   # DIR: `src` of another version

The floor: DuckDB reads the file once with `read_csv` (column types given) and stores it with
`CREATE TABLE AS`, no check. Each import runs in a fresh warehouse holding the registry
extract of the test fixtures; the best of `--repeat` runs is kept. With `--before`, that
version's import (its own choice of path) is measured in a child process.

Measured on 2 shared cores (2026-12-03, best of 3, `--before` = the code that checked into
Arrow then stored): 42 kB, one pass 38 ms, line by line 32 ms; 172 kB, 71 / 89 ms (before
96); 347 kB, 85 / 155 ms (before 134); 2.9 MB, floor 111 ms, one pass 407 ms (3.7×; before
549 ms), line by line 1 619 ms. What the one pass adds to the floor at that size: reading
the file in Python to detect its encoding, hashing it, the byte-level line check, the checks
of every value and the import-run records. The writer reads files under 64 kB line by line
(FAST_PATH_MIN_BYTES).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "finess;campagne;indicateur;dossier;conforme"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lines", default="1500,6000,12000,100000")
    parser.add_argument("--before", type=Path, help="the `src` folder of another version")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # a child process of --before: time that version's import of one file
        print(json.dumps(best(args.repeat, lambda: timed_import(Path(args.child), None))))
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    args.out.mkdir(parents=True, exist_ok=True)
    print(
        f"{'lignes':>8} {'taille':>9} {'plancher':>9} {'un passage':>11} {'ligne à ligne':>14}"
        + (f" {'avant':>8}" if args.before else "")
    )
    for lines in map(int, args.lines.split(",")):
        path = audit_file(args.out / f"audits-{lines}.csv", lines)
        row = [
            best(args.repeat, lambda p=path: floor(p, args.out)),
            best(args.repeat, lambda p=path: timed_import(p, 0)),
            best(args.repeat, lambda p=path: timed_import(p, float("inf"))),
        ]
        if args.before:
            row.append(before(args.before, path, args.repeat))
        widths = (9, 11, 14, 8)[: len(row)]
        figures = " ".join(f"{t * 1000:.0f} ms".rjust(w) for t, w in zip(row, widths, strict=True))
        size = path.stat().st_size / 1024
        print(f"{lines:>8} {size:>6.0f} kB {figures}  {row[1] / row[0]:.2f}×")
    return 0


def audit_file(path: Path, lines: int) -> Path:
    from hospiscope.sources.finess.numbers import luhn_check_digit

    def finess(n: int) -> str:
        body = f"0100{n:04d}"
        return body + luhn_check_digit(body)

    rows = [
        f"{finess(n % 40)};2024;CA_QLS;{n // 40 + 1};{'oui' if n % 3 else 'non'}"
        for n in range(lines)
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def best(repeat: int, run) -> float:
    return min(run() for _ in range(repeat))


def floor(path: Path, out: Path) -> float:
    import duckdb

    target = out / "floor.duckdb"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    with duckdb.connect(str(target)) as con:
        con.execute(
            "CREATE TABLE audits AS SELECT * FROM read_csv(?, delim = ';', header = true, "
            "columns = {'finess': 'VARCHAR', 'campagne': 'INTEGER', 'indicateur': 'VARCHAR', "
            "'dossier': 'INTEGER', 'conforme': 'VARCHAR'})",
            [str(path)],
        )
    return time.perf_counter() - started


def timed_import(path: Path, minimum: float | None) -> float:
    """One import into a fresh warehouse; `minimum`: the writer's size threshold (None: the
    version's own)."""
    from hospiscope import pipeline
    from hospiscope.warehouse import Warehouse, tabular

    if minimum is not None:
        tabular.FAST_PATH_MIN_BYTES = minimum
    target = path.with_suffix(".duckdb")
    target.unlink(missing_ok=True)
    with Warehouse(target) as warehouse:
        registry = ROOT / "tests" / "fixtures" / "finess" / "etalab-extrait.csv"
        pipeline.import_registry(warehouse, registry)
        started = time.perf_counter()
        pipeline.import_tabular(warehouse, "audits", path)
        return time.perf_counter() - started


def before(src: Path, path: Path, repeat: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(src.resolve()))
    command = [sys.executable, __file__, "--child", str(path), "--repeat", str(repeat)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
