"""Corrected files: HAS republishes a file for a campaign when it corrects it. A second,
different file for the same campaign of a family is refused (it would mix two versions of the
same data) unless the user says that it replaces the first (`--remplace`). The rows of the
replaced campaign are then removed, whichever earlier file they came from, and each replaced
import is recorded in `replaced_imports` — all inside the import's transaction, so that a
refused correction leaves the warehouse as it was. What a campaign is depends on the family:
e-Satis responses, questionnaire and campaign; published results, questionnaire and campaign;
tabular families, the values of their `scope` columns in the file (sources.families)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from hospiscope.sources.issues import InvalidFile, Issue

OPTION = "--remplace"


@dataclass(frozen=True)
class Scope:
    """The stored rows that a file covers."""

    table: str
    where: str  # SQL condition selecting the stored rows of the file's campaigns
    params: list[Any]
    label: str  # French: "dossiers audités, campagne 2024"
    runs: str = "import_run_id"  # SQL giving the import run that wrote a row
    family: str = "true"  # SQL condition selecting every row of the family in `table`


def take_over(
    con: duckdb.DuckDBPyConnection, scope: Scope, run_id: int, path: Path, *, replace: bool
) -> list[dict[str, Any]]:
    """Refuse the file if earlier imports hold rows of its campaigns, or, with `replace`,
    remove those rows and record the replaced imports. Returns what was replaced (for the run's
    metadata): one entry per replaced import run."""
    earlier = con.execute(
        f"""SELECT s.run, r.source_file, count(*) FROM (SELECT {scope.runs} AS run
        FROM {scope.table} WHERE {scope.where}) s LEFT JOIN import_runs r ON r.run_id = s.run
        GROUP BY ALL ORDER BY s.run""",
        scope.params,
    ).fetchall()
    if not earlier:
        return []
    if not replace:
        raise InvalidFile([_refusal(path, scope, run, name) for run, name, _ in earlier])
    con.execute(f"DELETE FROM {scope.table} WHERE {scope.where}", scope.params)
    kept = dict(
        con.execute(
            f"""SELECT run, count(*) FROM (SELECT {scope.runs} AS run FROM {scope.table}
            WHERE {scope.family}) WHERE run IN (SELECT unnest(?)) GROUP BY run""",
            [[run for run, _, _ in earlier]],
        ).fetchall()
    )
    now = dt.datetime.now()
    replaced = []
    for run, name, removed in earlier:
        con.execute(
            "INSERT INTO replaced_imports VALUES (?, ?, ?, ?, ?, ?)",
            [run, run_id, now, scope.label, removed, kept.get(run, 0)],
        )
        replaced.append(
            {
                "lot": run,
                "fichier": name,
                "lignes_retirees": removed,
                "lignes_gardees": kept.get(run, 0),
            }
        )
    return replaced


def _refusal(path: Path, scope: Scope, run: int, name: str | None) -> Issue:
    earlier = f"« {name} » (lot {run})" if name else f"le lot {run}"
    return Issue(
        path.name,
        0,
        "",
        f"{scope.label} : données déjà importées depuis {earlier}. Ce fichier est différent : "
        f"pour qu'il remplace cet import (fichier corrigé), relancez la commande avec {OPTION}",
    )


MANY_VALUES = 20  # beyond, a scope is one IN (…) lookup, not a chain of OR
SHOWN_VALUES = 5  # a label names at most this many values, then how many there are


def table_scope(
    con: duckdb.DuckDBPyConnection,
    table: str,
    label: str,
    columns: tuple[tuple[str, str], ...],
    new_rows: str,
) -> Scope:
    """The scope of the rows of relation `new_rows` (same columns as `table`): the values of
    the scope `columns` (SQL expression, French name) found in them."""
    expressions = [expression for expression, _ in columns]
    values = con.execute(
        f"SELECT DISTINCT {', '.join(expressions)} FROM {new_rows} ORDER BY ALL"
    ).fetchall()
    named = [
        values_label(name, sorted({row[index] for row in values}))
        for index, (_, name) in enumerate(columns)
    ]
    label = f"{label}, {', '.join(named)}"
    if len(values) > MANY_VALUES:
        # Many (establishment, year) pairs, as in a national file of invoices: one hash
        # lookup per row instead of thousands of equality tests (seconds on a million rows).
        keys = ", ".join(f"unnest(?) AS k{index}" for index in range(len(expressions)))
        where = f"({', '.join(expressions)}) IN (SELECT {keys})"
        return Scope(table, where, [[row[i] for row in values] for i in range(len(columns))], label)
    # A few distinct values (campaigns, questionnaires): one equality test each.
    each = "(" + " AND ".join(f"{expression} = ?" for expression in expressions) + ")"
    where = " OR ".join([each] * len(values)) or "false"
    return Scope(table, where, [v for row in values for v in row], label)


def values_label(name: str, values: list[Any]) -> str:
    """The French label of a scope's values: "campagne 2024", "campagnes 2023, 2024", "années
    de visite 2021, 2022", "établissements 010000024, 010000065, 010000107, 010000115,
    010000123… (1 264 au total)"."""
    if len(values) > 1:
        first, _, rest = name.partition(" ")
        name = f"{first}s {rest}".strip()
    if len(values) > SHOWN_VALUES:
        shown = ", ".join(map(str, values[:SHOWN_VALUES]))
        total = f"{len(values):_}".replace("_", "\u202f")  # 1 264, French thousands
        return f"{name} {shown}… ({total} au total)"
    return f"{name} {', '.join(map(str, values))}"
