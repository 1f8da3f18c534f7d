"""CERT_IMP_MANAGEMENT_QUALITE — imperative certification criterion met: « Management par la
qualité et la sécurité des soins »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("MANAGEMENT_QUALITE"))
