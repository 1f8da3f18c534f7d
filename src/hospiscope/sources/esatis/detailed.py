"""The detailed reader of an e-Satis response file, for when the fast path found something to
report: every record is read with Python's csv module (physical line numbers: quoted comments
may span several lines) and every value is checked with the column model's Python checks
(sources/columns.py, the same declaration as the fast path's SQL), so that every problem is
named with its file, line, column and value. It also gives the typed rows of the valid records
(`--skip-invalid`). Blank lines are skipped, as DuckDB's reader skips them."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyarrow as pa

from hospiscope.sources.columns import FORMATS, SPACES, finess_key_problem, reader
from hospiscope.sources.esatis.checks import unregistered_warning
from hospiscope.sources.esatis.layout import columns
from hospiscope.sources.esatis.questionnaires import Questionnaire
from hospiscope.sources.issues import WARNING, InvalidFile, Issue
from hospiscope.sources.textfile import Encoding, open_text

_BATCH = 50_000  # records checked column by column at a time (bounded memory)
_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "SMALLINT": pa.int16(),
    "TINYINT": pa.int8(),
    "DATE": pa.date32(),
    "BOOLEAN": pa.bool_(),
}
_INTEGER = re.compile(FORMATS["integer"])
_FINESS = re.compile(FORMATS["finess"])


@dataclass
class Responses:
    rows: pa.Table  # the valid records, typed, columns named as in the questionnaire's table
    records: int
    campaigns: list[int]  # every campaign the file names, valid records or not
    issues: list[Issue]  # errors and warnings, in line order

    @property
    def rejected(self) -> int:
        return len({issue.line for issue in self.issues if issue.severity != WARNING})


def read_responses(
    path: Path, encoding: Encoding, questionnaire: Questionnaire, registry: set[str]
) -> Responses:
    """Check every record of the file; `registry`: the FINESS numbers the registry holds (the
    others are warned about once, at their first line). A record of the wrong length or an
    unclosed quote refuses the file (InvalidFile)."""
    expected = columns(questionnaire)
    readers = [reader(c) for c in expected]
    kept = [i for i, c in enumerate(expected) if c.target != "questionnaire"]
    values: list[list] = [[] for _ in kept]
    issues: list[Issue] = []
    seen: dict[tuple, int] = {}  # (campaign, response) as written → first record
    first_line: dict[str, int] = {}  # FINESS number of the right format → first line
    campaigns, records = set(), 0
    with open_text(path, encoding) as handle:
        header, batches = _records(path, handle)
        positions = [header.index(c.name) for c in expected]
        for batch in batches:
            records += len(batch)
            texts = [[cells[p].strip(SPACES) or None for _, cells in batch] for p in positions]
            read = [list(map(check, column)) for check, column in zip(readers, texts, strict=True)]
            for row, (line, _) in enumerate(batch):
                found = [
                    Issue(path.name, line, c.name, read[i][row][1])
                    for i, c in enumerate(expected)
                    if read[i][row][1] is not None
                ]
                finess, campaign, code, response = (texts[i][row] for i in range(4))
                found += _record_problems(path, line, questionnaire, finess, code)
                if (campaign, response) in seen:
                    reason = "identifiant de réponse en double dans le fichier"
                    found.append(Issue(path.name, line, "id_reponse", reason))
                seen.setdefault((campaign, response), line)
                if finess is not None and _FINESS.fullmatch(finess):
                    first_line.setdefault(finess, line)
                if campaign is not None and _INTEGER.fullmatch(campaign):
                    campaigns.add(int(campaign))
                issues += found
                if not found:
                    for target, index in zip(values, kept, strict=True):
                        target.append(read[index][row][0])
    issues += [
        unregistered_warning(path, line, number)
        for number, line in first_line.items()
        if number not in registry and not finess_key_problem(number)
    ]
    table = pa.table(
        {
            expected[i].target: pa.array(column, _ARROW_TYPES[expected[i].sql_type])
            for i, column in zip(kept, values, strict=True)
        }
    )
    issues.sort(key=lambda issue: issue.line)
    return Responses(table, records, sorted(campaigns), issues)


def _record_problems(
    path: Path, line: int, questionnaire: Questionnaire, finess: str | None, code: str | None
) -> list[Issue]:
    found = []
    if finess is not None and _FINESS.fullmatch(finess) and (key := finess_key_problem(finess)):
        found.append(Issue(path.name, line, "finess", key))
    if code is not None and code != questionnaire.code:
        reason = f"questionnaire « {code} » dans un fichier {questionnaire.code}"
        found.append(Issue(path.name, line, "questionnaire", reason))
    return found


def _records(path: Path, handle) -> tuple[list[str], Iterator[list[tuple[int, list[str]]]]]:
    """The header, and batches of (physical start line, cells) of the non-blank records; the
    whole file is refused at the first batch holding a record of the wrong length."""
    rows = csv.reader(handle, delimiter=";", strict=True)
    header = [name.strip().lstrip("\ufeff") for name in next(rows, [])]

    def numbered() -> Iterator[tuple[int, list[str]]]:
        start = rows.line_num + 1
        try:
            for cells in rows:
                line, start = start, rows.line_num + 1
                if cells:
                    yield line, cells
        except csv.Error as error:
            reason = f"guillemet non fermé : {error}"
            raise InvalidFile([Issue(path.name, rows.line_num, "", reason)]) from None

    def batches() -> Iterator[list[tuple[int, list[str]]]]:
        records = numbered()
        while batch := list(islice(records, _BATCH)):
            wrong = [_wrong_length(path, line, cells, header) for line, cells in batch]
            if any(wrong):
                raise InvalidFile(
                    [issue for issue in wrong if issue] + _rest(path, records, header)
                )
            yield batch

    return header, batches()


def _rest(path, records, header) -> list[Issue]:
    """The wrong-length records after the first ones found: all are reported."""
    found = []
    try:
        found = [
            issue for line, cells in records if (issue := _wrong_length(path, line, cells, header))
        ]
    except InvalidFile as error:
        found += error.issues
    return found


def _wrong_length(path: Path, line: int, cells: list[str], header: list[str]) -> Issue | None:
    if len(cells) == len(header):
        return None
    reason = (
        f"{len(cells)} champs au lieu de {len(header)} (ligne tronquée ou séparateur incorrect)"
    )
    return Issue(path.name, line, "", reason)


def first_lines(path: Path, encoding: Encoding, numbers: set[str]) -> dict[str, int]:
    """The physical line of the first record of each of these FINESS numbers (read only when
    the fast path stored responses of establishments the registry lacks)."""
    found: dict[str, int] = {}
    with open_text(path, encoding) as handle:
        header, batches = _records(path, handle)
        position = header.index("finess")
        for batch in batches:
            for line, cells in batch:
                number = cells[position].strip(SPACES)
                if number in numbers and number not in found:
                    found[number] = line
            if len(found) == len(numbers):
                break
    return found


def structural_issues(path: Path, encoding: Encoding) -> list[Issue]:
    """Why DuckDB could not read the file: every record whose field count differs from the
    header's, or an unclosed quote."""
    with open_text(path, encoding) as handle:
        _, batches = _records(path, handle)
        try:
            for _ in batches:
                pass
        except InvalidFile as error:
            return error.issues
    return [Issue(path.name, 1, "", "fichier CSV illisible")]
