"""CERT_IMP_MINEURS — imperative certification criterion met: « Environnement adapté à la prise
en charge des mineurs »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("MINEURS"))
