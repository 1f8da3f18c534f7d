"""AUDIT_HAD_COORDINATION — record audit: care coordination compliant, home hospitalisation (HAD).

HAS-2024: 78 %, +8 points vs 2021.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("HAD_COORDINATION")
