"""Benchmark of the downloadable exports (`hospiscope.results.exports`): a table of
establishment results (text, codes, integers, floats, dates, a boolean; some cells empty, some
names starting with `=` or `-`) written in every format, best of `--repeat` runs, with the
size of each file.

    .venv/bin/python bench/bench_exports.py [--rows 50000] [--columns 20] [--repeat 3]

Measured on 2 shared cores under load (2026-12-03, best of 3), 50 000 × 20: csv 0.6–1.0 s
(10.7 MB), csv-excel 0.75–1.0 s, xlsx 7–14 s (7.5 MB; XlsxWriter's own cost: about 2.5 s to
store the cells and 4.5 s to write and compress the XML when the workbook closes), parquet
0.07–0.13 s (4.1 MB). 5 000 × 20: csv 0.1 s, xlsx 0.7 s, parquet 0.02 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hospiscope.results.exports import FORMATS, export

PROVENANCE = {
    "Source": "hospiscope, banc d’essai",
    "Versions des méthodes": "BENCH v1",
    "Date d’extraction": "2026-12-03",
    "Licence": "Licence Ouverte / Etalab 2.0",
}


def table(rows: int, columns: int) -> pd.DataFrame:
    """`columns` columns cycling through the kinds an export meets."""
    rng = np.random.default_rng(0)
    names = np.array(["Centre hospitalier de Bourg", "=HYPERLINK(x)", "-Clinique", "Hôpital"])
    makers = [
        lambda: pd.Series(rng.choice(names, rows)).where(rng.random(rows) > 0.05),
        lambda: pd.Series([f"{i:09d}" for i in rng.integers(10**8, 10**9, rows)]),
        lambda: pd.Series(rng.random(rows) * 100).where(rng.random(rows) > 0.1),
        lambda: pd.Series(rng.integers(0, 5000, rows)),
        lambda: pd.Series(
            pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 2000, rows), "D")
        ),
        lambda: pd.Series(rng.random(rows) > 0.5),
    ]
    return pd.DataFrame({f"Colonne {i + 1}": makers[i % len(makers)]() for i in range(columns)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    frame = table(args.rows, args.columns)
    print(f"{args.rows} lignes × {args.columns} colonnes, meilleur de {args.repeat}")
    for fmt in FORMATS:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            data = export(frame, fmt, provenance=PROVENANCE)
            times.append(time.perf_counter() - start)
        print(f"{fmt:10} {min(times) * 1000:8.0f} ms {len(data) / 1e6:8.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
