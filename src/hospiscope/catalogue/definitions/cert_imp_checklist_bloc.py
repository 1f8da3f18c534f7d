"""CERT_IMP_CHECKLIST_BLOC — imperative certification criterion met: « Bon usage de la
check-list « sécurité du patient » au bloc opératoire »."""

from hospiscope.catalogue.definitions._certification import criterion_indicator
from hospiscope.certification import criterion

INDICATOR = criterion_indicator(criterion("CHECKLIST_BLOC"))
