"""CERT_PART_CONDITIONS — share of establishments certified under conditions at 31 December
(HAS end 2024: 9 %)."""

from hospiscope.catalogue.definitions._certification import share_indicator
from hospiscope.catalogue.model import Direction
from hospiscope.certification import Decision

INDICATOR = share_indicator(
    "CERT_PART_CONDITIONS",
    (Decision.CONDITIONS,),
    "Part des établissements certifiés sous conditions",
    "Certifiés sous conditions",
    "Établissements certifiés sous conditions",
    Direction.LOWER_IS_BETTER,
)
