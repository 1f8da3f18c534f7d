"""AUDIT_CA_DOULEUR — record audit: pain anticipation, ambulatory surgery: analgesic prescription
given before admission.

HAS-2024: fewer than 4 patients in 10.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("CA_DOULEUR")
