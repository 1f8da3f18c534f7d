"""The declaration of a column of an imported file: one `Column` per column (kind, required,
allowed choices, range, format), read by both derivations of its checks (`strict`,
`spreadsheet`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Kinds of the files exported by a system (e-Satis): `finess`, `integer`, `choice`, `flag`,
# `text`, `date`. Kinds of the files typed in a spreadsheet (tabular layouts): `finess`,
# `year`, `count`, `decimal`, `text`, `yesno`, `choice`, `date`.
Kind = Literal[
    "finess", "integer", "choice", "flag", "text", "date", "year", "count", "decimal", "yesno"
]

# What DuckDB's trim() removes at both ends (Python's str.strip() removes more): the detailed
# reader trims the same characters, so that both paths store the same text.
SPACES = " \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
MISSING = "valeur obligatoire absente"
BAD_FINESS_KEY = "clé de contrôle FINESS incorrecte"

FORMATS = {
    "finess": r"(\d{2}|2A|2B)\d{7}",
    "integer": r"[0-9]{1,9}",
    "date": r"[0-9]{2}/[0-9]{2}/[0-9]{4}"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}:[0-9]{2})?",
}
# Date formats tried in turn, written alike for Python's strptime and DuckDB's.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")

# Accepted spellings of yes / no in a spreadsheet (lower case).
YES_NO = {
    "oui": True,
    "o": True,
    "1": True,
    "true": True,
    "vrai": True,
    "non": False,
    "n": False,
    "0": False,
    "false": False,
    "faux": False,
}
# The warehouse type of each spreadsheet kind.
SPREADSHEET_TYPES = {
    "finess": "VARCHAR",
    "year": "BIGINT",
    "count": "BIGINT",
    "decimal": "DOUBLE",
    "text": "VARCHAR",
    "yesno": "BOOLEAN",
    "choice": "VARCHAR",
    "date": "DATE",
}


@dataclass(frozen=True)
class Column:
    """One column of a file: its header, where it is stored and what it accepts."""

    name: str  # header in the file (French)
    target: str  # warehouse column
    kind: Kind
    sql_type: str  # type of the warehouse column
    reason: str = ""  # French, when a value is refused: "<reason> : « value »" (strict)
    required: bool = False  # an empty value is an error
    choices: tuple[str, ...] = ()  # choice: the accepted texts; flag: ('0', '1')
    minimum: float | None = None  # numbers: bounds; strict text: length in characters
    maximum: float | None = None
    # False: a file exported by a system, read as written (`strict`). True: a file typed in
    # a spreadsheet (`spreadsheet`): FINESS leading zero restored, spaces and decimal comma in
    # numbers, oui / non, ISO or French dates, problems named "<reason>, reçu « value »".
    spreadsheet: bool = False

    @property
    def one_character_choices(self) -> str | None:
        """The choices as one string when each is one character (answers `1`…`9`)."""
        if self.kind in ("choice", "flag") and all(
            len(c) == 1 and c.isascii() for c in self.choices
        ):
            return "".join(self.choices)
        return None


def sql_list(values) -> str:
    """The texts `values` as the items of an SQL `IN (…)` list."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def flag(name: str, target: str, reason: str, *, required: bool = False) -> Column:
    """A yes / no column written `1` / `0`."""
    return Column(name, target, "flag", "BOOLEAN", reason, required, choices=("0", "1"))


def spreadsheet_column(
    name: str,
    target: str,
    kind: Kind,
    *,
    required: bool = True,
    choices: tuple[str, ...] = (),
    minimum: float | None = None,
    maximum: float | None = None,
) -> Column:
    """A column of a file typed in a spreadsheet (required unless said otherwise)."""
    if kind not in SPREADSHEET_TYPES:
        raise ValueError(
            f"kind {kind!r} is not a spreadsheet kind ({', '.join(SPREADSHEET_TYPES)})"
        )
    return Column(
        name,
        target,
        kind,
        SPREADSHEET_TYPES[kind],
        required=required,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
        spreadsheet=True,
    )
