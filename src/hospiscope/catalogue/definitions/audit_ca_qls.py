"""AUDIT_CA_QLS — record audit: discharge letter (lettre de liaison) compliant, ambulatory surgery.

HAS-2024: correct for fewer than 7 patients in 10, +7 points vs 2021.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("CA_QLS")
