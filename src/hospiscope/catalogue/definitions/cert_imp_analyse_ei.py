"""CERT_IMP_ANALYSE_EI — imperative certification criterion met: « Analyse collective des
événements indésirables associés aux soins »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("ANALYSE_EI"))
