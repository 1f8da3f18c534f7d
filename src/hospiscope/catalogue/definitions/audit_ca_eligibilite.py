"""AUDIT_CA_ELIGIBILITE — record audit: eligibility for ambulatory surgery assessed at admission.

HAS-2024: 8 patients in 10.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("CA_ELIGIBILITE")
