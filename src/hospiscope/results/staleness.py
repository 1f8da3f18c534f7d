"""Whether shown results predate the data: every computation records the import runs that
were in the warehouse when it ran (`computation_runs.import_runs_seen`); an import run that a
computation did not see, or a replaced import whose data a result read, makes its results
stale. Readers say so and name the command to run."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from hospiscope.warehouse.kinds import NOT_COMPUTED, kind_label


@dataclass
class Staleness:
    """Imports a set of computed results did not see."""

    computations: list[int]  # the computations that produced the results shown
    unseen_runs: list[tuple[int, str, str]] = field(default_factory=list)  # run, kind, file

    @property
    def stale(self) -> bool:
        return bool(self.unseen_runs)

    def sentence(self) -> str:
        if not self.stale:
            return ""
        runs = ", ".join(
            f"lot {run} ({kind_label(kind)}, {file})" for run, kind, file in self.unseen_runs[:3]
        )
        more = len(self.unseen_runs) - 3
        if more > 0:
            runs += f" et {more} autre(s)"
        return (
            f"Attention : ces résultats calculés précèdent {len(self.unseen_runs)} "
            f"importation(s) ({runs}). Lancez `hospiscope compute` pour les mettre à jour."
        )

    def to_dict(self) -> dict:
        return {
            "perime": self.stale,
            "message": self.sentence(),
            "calculs": self.computations,
            "importations_posterieures": [
                {"lot": run, "nature": kind, "fichier": file}
                for run, kind, file in self.unseen_runs
            ],
        }


def staleness(con: duckdb.DuckDBPyConnection, computations: list[int]) -> Staleness:
    """Imports not seen by the earliest of `computations` (the computations whose results a
    reader shows); none when nothing computed is shown."""
    computations = sorted({int(c) for c in computations})
    if not computations:
        return Staleness([])
    seen, started = con.execute(
        "SELECT import_runs_seen, started_at FROM computation_runs WHERE computation_id = ?",
        [computations[0]],
    ).fetchall()[0]
    if seen is None:  # computed by a version that did not record them: use the times
        rows = con.execute(
            "SELECT run_id, kind, source_file FROM import_runs WHERE finished_at > ? "
            "AND NOT list_contains(?, kind) ORDER BY run_id",
            [started, list(NOT_COMPUTED)],
        ).fetchall()
    else:
        rows = con.execute(
            "SELECT run_id, kind, source_file FROM import_runs "
            "WHERE NOT list_contains(?, run_id) AND NOT list_contains(?, kind) ORDER BY run_id",
            [list(seen), list(NOT_COMPUTED)],
        ).fetchall()
    return Staleness(computations, [(int(r), k, f) for r, k, f in rows])


def latest_computations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The computation of every stored computed result set (for readers that show all)."""
    return [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT computation_id FROM results WHERE origin = 'calcul' "
            "AND computation_id IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
