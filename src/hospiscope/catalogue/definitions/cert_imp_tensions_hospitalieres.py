"""CERT_IMP_TENSIONS_HOSPITALIERES — imperative certification criterion met: « Gestion des
tensions hospitalières »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("TENSIONS_HOSPITALIERES"))
