"""CERT_IMP_INTIMITE_DIGNITE — imperative certification criterion met: « Respect de l'intimité
et de la dignité du patient »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("INTIMITE_DIGNITE"))
