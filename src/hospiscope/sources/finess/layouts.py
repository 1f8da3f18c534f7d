"""Automatic detection of the FINESS layout of a file."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from hospiscope.sources.finess import etalab, gisco, scansante
from hospiscope.sources.issues import InvalidFile, Issue
from hospiscope.sources.textfile import open_text

LAYOUTS: tuple[ModuleType, ...] = (etalab, gisco, scansante)


def detect_layout(path: Path) -> ModuleType:
    """The reader module for `path`, or InvalidFile naming what was expected."""
    with open_text(path) as handle:
        first_line = handle.readline().rstrip("\r\n")
    for layout in LAYOUTS:
        if layout.sniff(first_line):
            return layout
    raise InvalidFile([Issue(path.name, 1, "", _unrecognised(first_line))])


def _unrecognised(first_line: str) -> str:
    if not first_line.strip():
        return "fichier vide : aucune ligne à lire"
    lowered = first_line.lstrip("\ufeff").lower()
    if lowered.startswith(("finess,etalab", "structureet,", "finess\tetalab", "structureet\t")):
        return "séparateur incorrect : le format FINESS etalab utilise « ; »"
    if lowered.startswith(("id;hospital_name", "id\thospital_name")):
        return "séparateur incorrect : le format GISCO utilise « , »"
    expected = ", ".join(layout.LABEL for layout in LAYOUTS)
    return f"format de registre non reconnu (attendu : {expected}) ; début : « {first_line[:60]} »"
