"""Benchmark of issue 9 (portal speed): type-ahead search and establishment pages under 50
concurrent clients, the server in one process and the load driven from a second one, side by
side with the baseline that reads the warehouse file on every request without the in-memory
copy or the page cache (`create_app(..., copy=False)`: the same SQL).

    .venv/bin/python bench/bench_portal.py [--warehouse var/hospiscope.duckdb]
        [--clients 50] [--seconds 10] [--port 8790]

Goals: type-ahead p95 ≤ 30 ms and establishment page p95 ≤ 50 ms at 50 concurrent clients on
2 cores, with about 5 000 establishments (the registry of every demo). The load: each client
loops on keep-alive HTTP/1.1 requests; type-ahead queries are the first 3–6 letters of names
of the registry (what people type). Four workloads: queries and establishment pages asked for
the first time (every establishment in a shuffled order: nothing asked before), and
queries or pages already asked once (500 prefixes; the 200 first establishments), which the
page cache answers. Latencies are measured by the load process, from sending the request to
the end of the answer.

Three server modes (MODES): prepared (as `hospiscope serve`), copy without preparation, and
the baseline reading the file on every request. Latest figures: README, "The portal under
load"."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

GOALS_MS = {"suggestions": 30.0, "establishment": 50.0}
# What is measured: type-ahead queries and establishment pages, each asked for the first time
# (nothing cached: the worst case) and already asked once (answered from the page cache: what
# a popular prefix or page gets); `popular`: the 200 most visited establishment pages.
KINDS = ("suggestions", "suggestions-seen", "establishment", "popular")
POPULAR = 200
WARMED = ("suggestions-seen", "popular")
# The server modes: `prepare` (what `hospiscope serve` runs: the in-memory copy, the page cache
# and every establishment page prepared in idle time, measured once the preparation is done),
# `copie` (the copy and the cache, nothing prepared: every first visit is built on demand),
# `fichier` (the baseline: the warehouse file read on every request, no copy, no cache).
MODES = {
    "préparé": ("establishment", "popular"),
    "copie": KINDS,
    "fichier": KINDS,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=Path("var/hospiscope.duckdb"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--load", help=argparse.SUPPRESS)  # child: the load generator
    args = parser.parse_args(argv)
    if args.load:  # the path of a JSON file holding the load's parameters
        spec = json.loads(Path(args.load).read_text())
        print(json.dumps(asyncio.run(load(**spec))))
        return 0
    if not args.warehouse.exists():
        print(f"entrepôt introuvable : {args.warehouse} (lancez `make run` une fois)")
        return 1
    numbers, names = registry(args.warehouse)
    print(f"{len(numbers)} établissements ; {args.clients} clients ; {args.seconds:g} s par mesure")
    figures = {}
    for mode, kinds in MODES.items():
        with server(args.warehouse, args.port, mode) as running:
            if running.prepared_in is not None:
                figures["prepared_in"] = running.prepared_in
            for kind in kinds:
                spec = {
                    "port": args.port,
                    "urls": _urls(kind, numbers, names),
                    "clients": args.clients,
                    "seconds": args.seconds,
                    "warm": kind in WARMED,
                }
                with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
                    json.dump(spec, file)
                    file.flush()
                    done = subprocess.run(
                        [sys.executable, __file__, "--load", file.name],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                figures[(mode, kind)] = json.loads(done.stdout)
    report(figures)
    return 0


def registry(path: Path) -> tuple[list[str], list[str]]:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT finess_et, coalesce(name, name_long) FROM establishments"
        ).fetchall()
    return [r[0] for r in rows], [r[1] or "" for r in rows]


def _urls(kind: str, numbers: list[str], names: list[str]) -> list[str]:
    rng = random.Random(9)
    if kind == "popular":
        return [f"/etablissements/{n}" for n in numbers[:POPULAR]]
    if kind == "suggestions-seen":
        return _urls("suggestions", numbers, names)[:500]
    if kind == "establishment":
        shuffled = numbers[:]
        rng.shuffle(shuffled)
        return [f"/etablissements/{n}" for n in shuffled]
    words = sorted(
        {w.lower() for name in names for w in name.split() if len(w) >= 4 and w.isalpha()}
    )
    # Every distinct prefix of 3 to 6 letters, shuffled: a first request for each.
    prefixes = sorted({w[:n] for w in words for n in range(3, 7)})
    rng.shuffle(prefixes)
    return [f"/recherche/suggestions?q={urllib.parse.quote(p)}" for p in prefixes]


class server:
    """`create_app(warehouse, …)` under uvicorn in a child process, for a `with` block; in mode
    `préparé`, entered once every establishment page is prepared (`prepared_in`: seconds)."""

    def __init__(self, warehouse: Path, port: int, mode: str):
        self.warehouse, self.port, self.mode = warehouse, port, mode
        self.prepared_in: float | None = None

    def __enter__(self):
        options = {"préparé": "prepare=True", "copie": "", "fichier": "copy=False"}[self.mode]
        code = (
            "import uvicorn; from pathlib import Path; from hospiscope.web.app import create_app; "
            f"uvicorn.run(create_app(Path({str(self.warehouse)!r}), {options}), "
            f"host='127.0.0.1', port={self.port}, log_level='warning', access_log=False)"
        )
        self.process = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ))
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                state = self._state()
            except OSError:
                time.sleep(0.2)
                continue
            preparation = state["preparation"]
            if self.mode != "préparé":
                return self
            if preparation and preparation["done"]:
                self.prepared_in = preparation["seconds"]
                return self
            time.sleep(0.5)
        self.process.kill()
        raise RuntimeError("le serveur n'a pas démarré")

    def _state(self) -> dict:
        url = f"http://127.0.0.1:{self.port}/etat.json"
        with urllib.request.urlopen(url, timeout=2) as answer:
            return json.load(answer)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


async def load(port: int, urls: list[str], clients: int, seconds: float, warm: bool) -> dict:
    """Latencies (ms) and answers per second of `clients` keep-alive clients for `seconds`;
    `warm`: each URL is first asked once, not measured (pages already visited)."""
    if warm:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for url in urls:
            writer.write(f"GET {url} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            await _answer(reader)
        writer.close()
    latencies: list[float] = []
    failures = 0
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def client() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop:
            url = urls[next(counter) % len(urls)]
            started = time.perf_counter()
            writer.write(f"GET {url} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            status, _ = await _answer(reader)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += status != 200
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "per_second": len(ordered) / elapsed,
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "p99": ordered[int(0.99 * (len(ordered) - 1))],
        "failures": failures,
    }


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(
        int(line.split(":")[1]) for line in lines if line.lower().startswith("content-length")
    )
    return status, await reader.readexactly(length)


def report(figures: dict) -> None:
    labels = {
        "suggestions": "saisie, 1re demande",
        "suggestions-seen": "saisie, déjà demandée",
        "establishment": "fiche, 1re visite",
        "popular": f"fiche, {POPULAR} plus vues",
    }
    print(
        f"{'':24} {'mode':8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'échecs':>7}"
    )
    for key, f in figures.items():
        if key == "prepared_in":
            continue
        mode, kind = key
        print(
            f"{labels[kind]:24} {mode:8} {f['per_second']:8.0f} {f['p50']:8.1f} {f['p95']:8.1f} "
            f"{f['p99']:8.1f} {f['failures']:7d}"
        )
    goals = {**GOALS_MS, "suggestions-seen": GOALS_MS["suggestions"]}
    goals["popular"] = GOALS_MS["establishment"]
    if "prepared_in" in figures:
        print(f"préparation des fiches en tâche de fond : {figures['prepared_in']:.1f} s")
    for key, fast in figures.items():
        if key == "prepared_in" or key[0] == "fichier" or key[1] not in goals:
            continue
        mode, kind = key
        slow, goal = figures[("fichier", kind)], goals[kind]
        verdict = "atteint" if fast["p95"] <= goal else "manqué"
        print(
            f"{labels[kind]} ({mode}) : p95 {fast['p95']:.1f} ms (objectif ≤ {goal:g} ms : "
            f"{verdict}) ; {fast['per_second'] / slow['per_second']:.1f}× les requêtes par "
            f"seconde du mode fichier, p95 {slow['p95'] / fast['p95']:.1f}× plus court"
        )

if __name__ == "__main__":
    raise SystemExit(main())
