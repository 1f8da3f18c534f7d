"""CERT_IMP_RISQUE_INFECTIEUX — imperative certification criterion met: « Maîtrise du risque
infectieux »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("RISQUE_INFECTIEUX"))
