"""AUDIT_CA_CONTACT — record audit: patient contacted between day+1 and day+3 after ambulatory
surgery.

HAS-2024: more than 7 patients in 10.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("CA_CONTACT")
