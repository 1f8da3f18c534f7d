"""The lever catalogue: the efficiency measures of the IGF-IGAS annex XII table (§1) as
reviewed data (levers.yaml), each with its field of action, lever type, national or local
scope, attention points, resources and the indicators that evidence it.

    from hospiscope.catalogue.levers import levers, levers_for
    levers_for("EFF_DELAI_FACTURATION")   # the measures a billing-delay gap calls for
"""

from hospiscope.catalogue.levers.loader import PLANNED, LeverError, get_lever, levers, levers_for
from hospiscope.catalogue.levers.model import FIELDS, PARTS, SCOPES, Lever

__all__ = [
    "FIELDS",
    "PARTS",
    "PLANNED",
    "SCOPES",
    "Lever",
    "LeverError",
    "get_lever",
    "levers",
    "levers_for",
]
