"""Reading text files as they come from the real world.

French public files come in UTF-8 with or without BOM, or in Windows-1252 (often labelled
"ISO-8859-1"), with LF or CRLF line endings. We detect the encoding instead of asking:

- a UTF-8 BOM means UTF-8; a UTF-16/32 BOM is refused with a clear message;
- a file that decodes as UTF-8 is UTF-8;
- a file that fails as UTF-8 *after* valid multi-byte UTF-8 sequences is a damaged UTF-8 file:
  refused at the exact line and column, rather than silently decoded as Windows-1252;
- otherwise Windows-1252 (a superset of ISO-8859-1 for printable text); a byte undefined in
  Windows-1252 is refused at its line and column.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hospiscope.sources.issues import InvalidFile, Issue

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
CP1252 = "cp1252"
_CHUNK = 1 << 20
# DuckDB's reading of a `;`-separated file with a header, every value as text (NULL when
# empty), strict on quotes and on the number of fields: the one reader string of the fast
# paths (sources/tabular_fast.py, sources/esatis/checks.py). `?`: the file, in UTF-8.
READ_CSV = (
    "read_csv(?, delim = ';', header = true, all_varchar = true, quote = '\"', "
    "escape = '\"', strict_mode = true, null_padding = false)"
)
# The text of the DuckDB error that a fast path's checked SELECT raises at the first record it
# cannot vouch for: the statement, and the import's transaction, then fail as a whole, and the
# detailed reader names every problem.
REFUSED = "hospiscope : enregistrement à examiner par le lecteur détaillé"
_SMALL = 1 << 12  # a file this small is read whole to tell whether it is blank
_FOREIGN_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


@dataclass(frozen=True)
class Encoding:
    name: str  # a Python codec name
    label: str  # what we tell the user


_UTF8_WITH_BOM = Encoding(UTF8_BOM, "UTF-8 avec BOM")
_UTF8_WITHOUT_BOM = Encoding(UTF8, "UTF-8")


def check_input_file(path: Path) -> None:
    """Refuse, with what it is, a path that is not a file to read: missing, a directory, or
    empty (no byte, or nothing but a BOM and blank lines — not even a header)."""
    if path.is_dir():
        reason = f"{path} est un dossier, pas un fichier : indiquez les fichiers à importer"
        raise InvalidFile([Issue(path.name, 0, "", reason)])
    if not path.is_file():
        raise InvalidFile([Issue(path.name, 0, "", f"fichier introuvable : {path}")])
    size = path.stat().st_size
    if size == 0:
        raise InvalidFile([Issue(path.name, 0, "", "fichier vide (0 octet)")])
    if size <= _SMALL:
        content = path.read_bytes().removeprefix(codecs.BOM_UTF8)
        if not content.strip():
            reason = "fichier vide : aucune ligne, pas même l'en-tête"
            raise InvalidFile([Issue(path.name, 0, "", reason)])


def detect_encoding(path: Path) -> Encoding:
    """Detect the encoding of `path`, or raise InvalidFile with the place of the bad byte."""
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, name in _FOREIGN_BOMS.items():
        if head.startswith(bom):
            raise InvalidFile(
                [
                    Issue(
                        path.name,
                        1,
                        "",
                        f"encodage {name} non pris en charge (attendu : UTF-8 ou Windows-1252)",
                    )
                ]
            )
    if head.startswith(codecs.BOM_UTF8):
        _check_decodes(path, UTF8_BOM, "UTF-8")
        return _UTF8_WITH_BOM
    failure = _first_utf8_failure(path)
    if failure is None:
        return _UTF8_WITHOUT_BOM
    offset, saw_multibyte = failure
    if saw_multibyte:
        raise InvalidFile(
            [
                _issue_at(
                    path,
                    offset,
                    "octet invalide en UTF-8 (fichier endommagé ou encodages mélangés)",
                )
            ]
        )
    _check_decodes(path, CP1252, "Windows-1252")
    return Encoding(CP1252, "Windows-1252")


def utf8_encoding(path: Path) -> Encoding:
    """The encoding detect_encoding finds for a file already known to be valid UTF-8."""
    with path.open("rb") as handle:
        with_bom = handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
    return _UTF8_WITH_BOM if with_bom else _UTF8_WITHOUT_BOM


def _first_utf8_failure(path: Path) -> tuple[int, bool] | None:
    """Byte offset of the first invalid UTF-8 sequence and whether valid multi-byte sequences
    came before it; None when the whole file is valid UTF-8."""
    decoder = codecs.getincrementaldecoder(UTF8)()
    offset = 0
    saw_multibyte = False
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset + error.start, saw_multibyte or _has_multibyte(chunk[: error.start])
            saw_multibyte = saw_multibyte or _has_multibyte(chunk)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset, saw_multibyte
    return None


def _has_multibyte(data: bytes) -> bool:
    return any(byte >= 0xC2 for byte in data)


def _check_decodes(path: Path, codec: str, label: str) -> None:
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise InvalidFile(
                    [_issue_at(path, offset + error.start, f"octet invalide en {label}")]
                ) from None
            offset += len(chunk)


def _issue_at(path: Path, offset: int, reason: str) -> Issue:
    with path.open("rb") as handle:
        before = handle.read(offset)
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return Issue(path.name, line, f"caractère {column}", reason)


@contextmanager
def utf8_copy(path: Path, encoding: Encoding) -> Iterator[Path]:
    """A path to the file's content in UTF-8, for readers such as DuckDB that want UTF-8 (and
    skip a UTF-8 BOM themselves). The original is used as is when it already is UTF-8 and its
    name holds no glob character (DuckDB's readers take `*`, `?` or `[` as a pattern, which
    could select another file)."""
    if encoding.name in (UTF8, UTF8_BOM) and not any(c in str(path) for c in "*?["):
        yield path
        return
    handle, name = tempfile.mkstemp(suffix=path.suffix, prefix="hospiscope-utf8-")
    os.close(handle)
    temporary = Path(name)
    try:
        with (
            path.open("r", encoding=encoding.name, newline="") as source,
            temporary.open("w", encoding=UTF8, newline="") as target,
        ):
            shutil.copyfileobj(source, target, _CHUNK)
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def open_text(path: Path, encoding: Encoding | None = None):
    """Open `path` for reading as text in its encoding (detected unless given), keeping line
    endings for csv."""
    encoding = encoding or detect_encoding(path)
    return path.open("r", encoding=encoding.name, newline="")
