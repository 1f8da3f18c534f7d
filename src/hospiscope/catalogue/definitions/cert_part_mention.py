"""CERT_PART_MENTION — share of establishments certified with the mention « Haute qualité
des soins » at 31 December (HAS end 2024: 23 %)."""

from hospiscope.catalogue.definitions._certification import share_indicator
from hospiscope.catalogue.model import Direction
from hospiscope.certification import Decision

INDICATOR = share_indicator(
    "CERT_PART_MENTION",
    (Decision.MENTION,),
    "Part des établissements certifiés avec mention « Haute qualité des soins »",
    "Mention « Haute qualité des soins »",
    "Établissements certifiés avec mention « Haute qualité des soins »",
    Direction.HIGHER_IS_BETTER,
)
