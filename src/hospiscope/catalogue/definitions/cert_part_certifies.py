"""CERT_PART_CERTIFIES — share of establishments certified, with or without the mention
« Haute qualité des soins », at 31 December (HAS end 2024: 87 %)."""

from hospiscope.catalogue.definitions._certification import share_indicator
from hospiscope.catalogue.model import Direction
from hospiscope.certification import CERTIFIED

INDICATOR = share_indicator(
    "CERT_PART_CERTIFIES",
    CERTIFIED,
    "Part des établissements certifiés (avec ou sans mention)",
    "Certifiés",
    "Établissements certifiés, avec ou sans mention « Haute qualité des soins »",
    Direction.HIGHER_IS_BETTER,
    headline=True,
)
