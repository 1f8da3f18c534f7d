"""CERT_IMP_SOMATIQUE_PSY — imperative certification criterion met: « Examen somatique des
patients hospitalisés en psychiatrie »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("SOMATIQUE_PSY"))
