"""CERT_PART_NON_CERTIFIES — share of establishments not certified at 31 December (HAS end
2024: 4 %, 70 establishments)."""

from hospiscope.catalogue.definitions._certification import share_indicator
from hospiscope.catalogue.model import Direction
from hospiscope.certification import Decision

INDICATOR = share_indicator(
    "CERT_PART_NON_CERTIFIES",
    (Decision.NOT_CERTIFIED,),
    "Part des établissements non certifiés",
    "Non certifiés",
    "Établissements non certifiés",
    Direction.LOWER_IS_BETTER,
)
