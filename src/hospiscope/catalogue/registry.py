"""Discovery of the indicator catalogue: every module of `catalogue.definitions` that
defines `INDICATOR` is one indicator (one file per indicator)."""

from __future__ import annotations

import importlib
import pkgutil
from difflib import get_close_matches
from functools import cache

from hospiscope.catalogue import definitions
from hospiscope.catalogue.model import Indicator


class UnknownIndicator(KeyError):
    """An indicator code that is not in the catalogue (or not among those asked for), with
    the closest codes (message in French, for users)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError's own would quote the message
        return self.message


@cache
def catalogue() -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    for module in pkgutil.iter_modules(definitions.__path__):
        loaded = importlib.import_module(f"{definitions.__name__}.{module.name}")
        indicator = getattr(loaded, "INDICATOR", None)
        if indicator is None:
            continue
        if indicator.code in indicators:
            raise ValueError(f"indicator code {indicator.code} defined twice")
        indicators[indicator.code] = indicator
    return dict(sorted(indicators.items()))


def get_indicator(
    code: str, among: dict[str, Indicator] | None = None, kind: str | None = None
) -> Indicator:
    """The indicator of `code` (case does not matter) in the catalogue, or in `among`: the
    indicators `kind` (French, e.g. "avec un diagramme en entonnoir")."""
    candidates = catalogue() if among is None else among
    if code in candidates:
        return candidates[code]
    by_upper = {known.upper(): known for known in candidates}
    if (known := by_upper.get(code.strip().upper())) is not None:
        return candidates[known]
    raise UnknownIndicator(_unknown_message(code, candidates, kind))


def _unknown_message(code: str, candidates: dict[str, Indicator], kind: str | None) -> str:
    asked = code.strip().upper()
    listed = f"indicateurs {kind} : {', '.join(candidates)}" if kind else ""
    if kind and asked in {known.upper() for known in catalogue()}:
        return f"{asked} n'est pas un indicateur {kind} ({listed})"
    close = get_close_matches(asked, list(candidates), n=3, cutoff=0.6)
    hint = f" ; {'les plus proches' if len(close) > 1 else 'le plus proche'} : " if close else ""
    hint += ", ".join(close)
    where = f"({listed})" if kind else "(`hospiscope indicators` les liste tous)"
    return f"indicateur inconnu : {code}{hint} {where}"
