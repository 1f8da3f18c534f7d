"""CERT_IMP_ANTIBIOPROPHYLAXIE — imperative certification criterion met: « Bonnes pratiques
d'antibioprophylaxie »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("ANTIBIOPROPHYLAXIE"))
