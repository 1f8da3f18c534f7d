"""CERT_IMP_AMELIORATION_IQSS — imperative certification criterion met: « Amélioration des
résultats des indicateurs de qualité et de sécurité des soins »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("AMELIORATION_IQSS"))
