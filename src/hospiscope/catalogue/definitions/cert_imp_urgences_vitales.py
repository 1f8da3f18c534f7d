"""CERT_IMP_URGENCES_VITALES — imperative certification criterion met: « Prise en charge des
urgences vitales »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("URGENCES_VITALES"))
