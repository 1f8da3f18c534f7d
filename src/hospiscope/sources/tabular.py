"""Declarative readers for the small `;`-separated files of the sources (one establishment
per line: capacities, participation, audits, hand hygiene, vaccination, certification…).

A `Layout` lists its fields, columns of the typed column model (`sources.columns`, spreadsheet
conventions) from which both this reader's checks and the fast path's SQL (`tabular_fast`)
derive; `read_table` checks every line and returns the
typed rows plus every problem found (file, line, column, reason), never only the first.
French conventions: `;` separator, decimal comma accepted, `oui`/`non`, dates dd/mm/yyyy.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hospiscope.sources.columns import Column, Reader, reader, spreadsheet_column
from hospiscope.sources.issues import Issue, header_issues
from hospiscope.sources.textfile import Encoding, open_text

# A field of a layout: a column of the typed column model, spreadsheet conventions
# (sources/columns): `Field(header, target, kind, required=True, choices=…, minimum=…,
# maximum=…)`.
Field = spreadsheet_column
LINE = "_line"  # where read_table(…, with_lines=True) keeps a row's line


@dataclass(frozen=True)
class Layout:
    name: str
    label: str  # French, for messages
    fields: tuple[Column, ...]
    key: tuple[str, ...]  # targets that identify a row (duplicates are errors); () : none

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def read_table(
    path: Path, layout: Layout, encoding: Encoding | None = None, *, with_lines: bool = False
) -> tuple[list[dict[str, Any]], list[Issue]]:
    """Typed rows of `path` and the problems found (the rows with problems are left out).
    `encoding`: as detected, when the caller knows it already; `with_lines`: each row keeps its
    physical line under `LINE` (for checks across rows that name the line, e.g. the GHT
    composition)."""
    rows: dict[tuple, tuple[int, dict]] = {}
    issues: list[Issue] = []
    with open_text(path, encoding) as handle:
        lines = csv.reader(handle, delimiter=";")
        header = [name.strip().lstrip("\ufeff") for name in next(lines, [])]
        missing = [f.name for f in layout.fields if f.name not in header]
        if len(header) <= 1 and missing:
            return [], [Issue(path.name, 1, "", "en-tête illisible : séparateur « ; » attendu")]
        if missing:
            return [], header_issues(path.name, layout.header, header)
        # Each field's reader (sources.columns) and position, found once per file.
        readers = [(f, header.index(f.name), reader(f)) for f in layout.fields]
        start = 2
        for cells in lines:
            line, start = start, lines.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                issues.append(
                    Issue(
                        path.name,
                        line,
                        "",
                        f"{len(cells)} champs au lieu de "
                        f"{len(header)} (ligne tronquée ou séparateur incorrect)",
                    )
                )
                continue
            row, problems = _typed(readers, cells)
            issues += [Issue(path.name, line, column, reason) for column, reason in problems]
            if row is None:
                continue
            if with_lines:
                row[LINE] = line
            key = tuple(row[k] for k in layout.key) if layout.key else (line,)
            if key in rows:
                issues.append(
                    Issue(
                        path.name,
                        line,
                        layout.fields[0].name,
                        f"ligne en double (déjà ligne {rows[key][0]})",
                    )
                )
                continue
            rows[key] = (line, row)
    return [row for _, row in rows.values()], issues


def _typed(readers: list[tuple[Column, int, Reader]], cells: list[str]) -> tuple[dict | None, list]:
    row, problems = {}, []
    for field, index, read in readers:
        value, problem = read(cells[index].strip() or None)
        if problem:
            problems.append((field.name, problem))
        row[field.target] = value
    return (None, problems) if problems else (row, [])
