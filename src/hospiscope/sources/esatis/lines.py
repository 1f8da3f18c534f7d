"""Physical lines of an e-Satis response file, read with Python's csv module (quoted comments
may span several lines, so a record's number is not its line), only when there is something
to report: where given records or FINESS numbers start, and why DuckDB could not read the
file. Blank lines are skipped, as DuckDB's reader skips them."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from hospiscope.sources.columns import SPACES
from hospiscope.sources.issues import Issue
from hospiscope.sources.textfile import Encoding, open_text


def _records(handle, strict: bool = False) -> Iterator[tuple[int, list[str]]]:
    """(physical start line, cells) of each non-blank record after the header."""
    rows = csv.reader(handle, delimiter=";", strict=strict)
    next(rows, None)
    start = rows.line_num + 1
    for cells in rows:
        line, start = start, rows.line_num + 1
        if cells:
            yield line, cells


def record_lines(path: Path, records: set[int], encoding: Encoding) -> dict[int, int]:
    """Physical start line of the given records (record 0 follows the header)."""
    lines: dict[int, int] = {}
    if not records:
        return lines
    last = max(records)
    with open_text(path, encoding) as handle:
        for record, (line, _) in enumerate(_records(handle)):
            if record in records:
                lines[record] = line
            if record >= last:
                break
    return lines


def first_lines(path: Path, encoding: Encoding, numbers: set[str]) -> dict[str, int]:
    """The physical line of the first record of each of these FINESS numbers (read only when
    the fast path stored responses of establishments the registry lacks)."""
    found: dict[str, int] = {}
    with open_text(path, encoding) as handle:
        header = next(csv.reader(handle, delimiter=";"), [])
        position = [name.strip().lstrip("\ufeff") for name in header].index("finess")
        handle.seek(0)
        for line, cells in _records(handle):
            number = cells[position].strip(SPACES) if position < len(cells) else ""
            if number in numbers and number not in found:
                found[number] = line
                if len(found) == len(numbers):
                    break
    return found


def structural_issues(path: Path, encoding: Encoding) -> list[Issue]:
    """Why DuckDB could not read the file: every record whose field count differs from the
    header's, or an unclosed quote."""
    issues = []
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=";", strict=True)
        try:
            width = len(next(reader))
            start = reader.line_num + 1
            for record in reader:
                if len(record) != width:
                    issues.append(
                        Issue(
                            path.name,
                            start,
                            "",
                            f"{len(record)} champs au lieu "
                            f"de {width} (ligne tronquée ou séparateur incorrect)",
                        )
                    )
                start = reader.line_num + 1
        except csv.Error as error:
            issues.append(Issue(path.name, reader.line_num, "", f"guillemet non fermé : {error}"))
    return issues or [Issue(path.name, 1, "", "fichier CSV illisible")]
