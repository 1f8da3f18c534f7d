"""Discovery of the indicator catalogue: every module of `catalogue.definitions` that does not
start with `_` is one indicator (one file per indicator) and defines `INDICATOR`, whose
metadata is the file's `META` literal (loader.py)."""

from __future__ import annotations

import importlib
from functools import cache

from hospiscope.catalogue import definitions
from hospiscope.catalogue.loader import catalogue_meta, definition_files
from hospiscope.catalogue.lookup import UnknownIndicator, find
from hospiscope.catalogue.model import Indicator

__all__ = ["UnknownIndicator", "catalogue", "get_indicator"]


@cache
def catalogue() -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    for path in definition_files():
        loaded = importlib.import_module(f"{definitions.__name__}.{path.stem}")
        indicator = loaded.INDICATOR
        if indicator.code in indicators:
            raise ValueError(f"indicator code {indicator.code} defined twice")
        indicators[indicator.code] = indicator
    if set(indicators) != set(catalogue_meta()):  # a file whose INDICATOR ignores its META
        raise ValueError("the definitions' INDICATOR codes differ from their META codes")
    return dict(sorted(indicators.items()))


def get_indicator(
    code: str, among: dict[str, Indicator] | None = None, kind: str | None = None
) -> Indicator:
    """The indicator of `code` (case does not matter) in the catalogue, or in `among`: the
    indicators `kind` (French, e.g. "avec un diagramme en entonnoir")."""
    candidates = catalogue() if among is None else among
    return find(code, candidates, kind, list(catalogue()))
