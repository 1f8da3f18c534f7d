"""CERT_IMP_MALTRAITANCE — imperative certification criterion met: « Lutte contre la
maltraitance »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("MALTRAITANCE"))
