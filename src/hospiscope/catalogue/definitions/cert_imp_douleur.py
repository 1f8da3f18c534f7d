"""CERT_IMP_DOULEUR — imperative certification criterion met: « Prise en charge de la douleur du
patient »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("DOULEUR"))
