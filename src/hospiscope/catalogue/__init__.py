"""The indicator catalogue: one definition file per indicator (metadata as literal data,
plus its computation).

Importing this package loads neither Ibis nor the statistics: the metadata (`catalogue_meta`,
`get_meta`) is read from the definition files as data; `catalogue()`, `get_indicator()` and
`Indicator` import the computations on first use.
"""

from hospiscope.catalogue.loader import catalogue_meta, get_meta
from hospiscope.catalogue.meta import Direction, IndicatorMeta

__all__ = [
    "Direction",
    "Indicator",
    "IndicatorMeta",
    "catalogue",
    "catalogue_meta",
    "get_indicator",
    "get_meta",
]
_LAZY = {"Indicator": "model", "catalogue": "registry", "get_indicator": "registry"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
