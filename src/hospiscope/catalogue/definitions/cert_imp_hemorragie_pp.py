"""CERT_IMP_HEMORRAGIE_PP — imperative certification criterion met: « Maîtrise du risque
d'hémorragie du post-partum »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("HEMORRAGIE_PP"))
