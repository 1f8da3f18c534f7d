"""CERT_IMP_CONSENTEMENT — imperative certification criterion met: « Consentement du patient aux
soins »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("CONSENTEMENT"))
