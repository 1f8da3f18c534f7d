"""CERT_IMP_MEDICAMENTS_RISQUE — imperative certification criterion met: « Bonnes pratiques
d'utilisation des médicaments les plus à risque »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("MEDICAMENTS_RISQUE"))
