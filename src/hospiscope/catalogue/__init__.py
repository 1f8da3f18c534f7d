"""The indicator catalogue: one definition file per indicator (metadata + computation)."""

from hospiscope.catalogue.model import Direction, Indicator, IndicatorMeta
from hospiscope.catalogue.registry import catalogue, get_indicator

__all__ = ["Direction", "Indicator", "IndicatorMeta", "catalogue", "get_indicator"]
