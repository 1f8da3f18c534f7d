"""The one shape of a problem found in an input file, and the error that carries them."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True, order=True)
class Issue:
    """A problem at a place in a file. `line` is the physical line (1-based) where the record
    starts, 0 for a problem of the whole file (missing, empty, already imported…); `column`
    names the field (or its 1-based position when the file has no header)."""

    file: str
    line: int
    column: str
    reason: str
    severity: str = ERROR

    def __str__(self) -> str:
        line = f", ligne {self.line}" if self.line else ""
        column = f", colonne {self.column}" if self.column else ""
        return f"{self.file}{line}{column} : {self.reason}"


class InvalidFile(Exception):
    """Raised when a file cannot be imported; carries every issue found, not only the first."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = sorted(issues)
        count = len(self.issues)
        first = "\n".join(f"  {issue}" for issue in self.issues[:20])
        more = f"\n  … et {count - 20} autre(s)" if count > 20 else ""
        super().__init__(f"{count} erreur(s) :\n{first}{more}")


def header_issues(
    file: str,
    expected: Iterable[str],
    header: Iterable[str],
    known: Iterable[str] = (),
) -> list[Issue]:
    """One issue per expected column absent from `header` (line 1), naming the unexpected
    columns too — those neither expected nor `known` (optional ones): a renamed column is then
    seen at once ("colonne attendue absente : finess ; colonne inattendue : n_finess")."""
    header = [name for name in header if name]
    expected = list(expected)
    usual = set(expected) | set(known)
    unexpected = [name for name in header if name not in usual]
    extra = ""
    if unexpected:
        plural = "s" if len(unexpected) > 1 else ""
        extra = f" ; colonne{plural} inattendue{plural} : {', '.join(unexpected)}"
    return [
        Issue(file, 1, name, f"colonne attendue absente : {name}{extra}")
        for name in expected
        if name not in header
    ]


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.severity == ERROR]


def warnings(issues: Iterable[Issue]) -> list[Issue]:
    return [issue for issue in issues if issue.severity == WARNING]


def write_report(issues: Iterable[Issue], path: Path) -> None:
    """Write issues as a French CSV report (`;`, UTF-8 with BOM so spreadsheets read accents)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["fichier", "ligne", "colonne", "gravite", "motif"])
        for issue in sorted(issues):
            writer.writerow([issue.file, issue.line, issue.column, issue.severity, issue.reason])
