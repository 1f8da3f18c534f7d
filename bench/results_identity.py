"""Before/after proof for redesigns (issue 8): the stored results of a demo run, as
`hospiscope results --json --limit 0 --source tout` prints them, compared row by row.

    # on the code before the change
    .venv/bin/python bench/results_identity.py build --scale 0.05 --out /tmp/before.jsonl
    # on the code after it
    .venv/bin/python bench/results_identity.py build --scale 0.05 --out /tmp/after.jsonl
    .venv/bin/python bench/results_identity.py compare /tmp/before.jsonl /tmp/after.jsonl

`build` runs `hospiscope demo` (which imports and computes) into a fresh warehouse and dumps
its results; `compare` matches rows on (indicator, level, entity, period, origin, method
version) and reports, per indicator, the rows only on one side and the fields that differ.
Fields that name a run rather than a result (computation id, time of computation) are
ignored. Numbers may differ by `--rel` (relative, default 1e-12): DuckDB's parallel sums
differ in their last bits between two runs of the same code (measured: 3e-15 at most); the
report says how large the largest difference was. Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

KEY = ("indicator_code", "entity_kind", "entity_id", "period", "origin", "method_version")
IGNORED = {"computation_id", "computed_at"}


def build(scale: float, seed: int | None, out: Path) -> None:
    executable = Path(sys.executable).with_name("hospiscope")
    with tempfile.TemporaryDirectory(prefix="identity-") as work:
        warehouse = Path(work) / "w.duckdb"
        demo = [str(executable), "demo", "-w", str(warehouse), "--scale", str(scale)]
        if seed is not None:
            demo += ["--seed", str(seed)]
        subprocess.run(demo, check=True, stdout=subprocess.DEVNULL)
        dump = [str(executable), "results", "-w", str(warehouse), "--json", "--limit", "0"]
        with out.open("w") as sink:
            subprocess.run([*dump, "--source", "tout"], check=True, stdout=sink)
    print(f"{sum(1 for _ in out.open())} résultats écrits dans {out}")


def load(path: Path) -> dict[tuple, dict]:
    rows = {}
    for number, line in enumerate(path.open(), start=1):
        row = json.loads(line)
        key = tuple(row.get(k) for k in KEY)
        if key in rows:
            raise SystemExit(f"{path}:{number}: clé en double {key}")
        rows[key] = {k: v for k, v in row.items() if k not in IGNORED}
    return rows


def same(a, b, rel: float) -> tuple[bool, float]:
    """(equal within `rel`, relative difference) for numbers; plain equality otherwise."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool):
        if a == b or (math.isnan(a) and math.isnan(b)):
            return True, 0.0
        difference = abs(a - b) / max(abs(a), abs(b))
        return difference <= rel, difference
    return a == b, 0.0


def compare(before: Path, after: Path, rel: float) -> int:
    old, new = load(before), load(after)
    problems: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    largest = 0.0
    for key in old.keys() - new.keys():
        problems[key[0]]["seulement avant"] += 1
    for key in new.keys() - old.keys():
        problems[key[0]]["seulement après"] += 1
    for key in old.keys() & new.keys():
        a, b = old[key], new[key]
        for field in sorted(a.keys() | b.keys()):
            equal, difference = same(a.get(field), b.get(field), rel)
            largest = max(largest, difference)
            if not equal:
                problems[key[0]][field] += 1
                if len(examples[key[0]]) < 3:
                    change = f"{a.get(field)!r} → {b.get(field)!r}"
                    examples[key[0]].append(f"{key[1:4]} {field}: {change}")
    print(f"{len(old)} résultats avant, {len(new)} après ; plus grand écart relatif {largest:.3g}")
    for code in sorted(problems):
        counts = ", ".join(f"{field} {n}" for field, n in problems[code].most_common())
        print(f"  {code}: {counts}")
        for example in examples[code]:
            print(f"      {example}")
    if problems:
        print(f"DIFFÉRENCES sur {len(problems)} indicateur(s)")
        return 1
    print("identiques")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    built = commands.add_parser("build")
    built.add_argument("--scale", type=float, default=0.05)
    built.add_argument("--seed", type=int)
    built.add_argument("--out", type=Path, required=True)
    compared = commands.add_parser("compare")
    compared.add_argument("before", type=Path)
    compared.add_argument("after", type=Path)
    compared.add_argument("--rel", type=float, default=1e-12)
    args = parser.parse_args()
    if args.command == "build":
        build(args.scale, args.seed, args.out)
        return 0
    return compare(args.before, args.after, args.rel)


if __name__ == "__main__":
    sys.exit(main())
