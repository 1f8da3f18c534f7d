"""Discovery of the indicator catalogue: every module of `catalogue.definitions` that
defines `INDICATOR` is one indicator (one file per indicator)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from hospiscope.catalogue import definitions
from hospiscope.catalogue.model import Indicator


class UnknownIndicator(KeyError):
    pass


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


def get_indicator(code: str) -> Indicator:
    try:
        return catalogue()[code]
    except KeyError:
        known = ", ".join(catalogue())
        raise UnknownIndicator(f"indicateur inconnu : {code} (connus : {known})") from None
