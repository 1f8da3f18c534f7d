"""Finding an indicator by its code, for the full catalogue (registry.py) and for its
metadata only (loader.py): case does not matter, unknown codes get the closest ones."""

from __future__ import annotations

from difflib import get_close_matches
from typing import TypeVar

T = TypeVar("T")


class UnknownIndicator(KeyError):
    """An indicator code that is not in the catalogue (or not among those asked for), with
    the closest codes (message in French, for users)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError's own would quote the message
        return self.message


def find(
    code: str, candidates: dict[str, T], kind: str | None = None, known: list[str] | None = None
) -> T:
    """The entry of `code` in `candidates`: the indicators `kind` (French, e.g. "avec un
    diagramme en entonnoir") among all the `known` codes, or all of them."""
    if code in candidates:
        return candidates[code]
    by_upper = {name.upper(): name for name in candidates}
    if (name := by_upper.get(code.strip().upper())) is not None:
        return candidates[name]
    raise UnknownIndicator(_unknown_message(code, candidates, kind, known or list(candidates)))


def _unknown_message(code: str, candidates: dict, kind: str | None, known: list[str]) -> str:
    asked = code.strip().upper()
    listed = f"indicateurs {kind} : {', '.join(candidates)}" if kind else ""
    if kind and asked in {name.upper() for name in known}:
        return f"{asked} n'est pas un indicateur {kind} ({listed})"
    close = get_close_matches(asked, list(candidates), n=3, cutoff=0.6)
    hint = f" ; {'les plus proches' if len(close) > 1 else 'le plus proche'} : " if close else ""
    hint += ", ".join(close)
    where = f"({listed})" if kind else "(`hospiscope indicators` les liste tous)"
    return f"indicateur inconnu : {code}{hint} {where}"
