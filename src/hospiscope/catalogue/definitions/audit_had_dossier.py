"""AUDIT_HAD_DOSSIER — record audit: patient record compliant, home hospitalisation (HAD).

HAS-2024: 89 %, +3.5 points vs 2021.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("HAD_DOSSIER")
