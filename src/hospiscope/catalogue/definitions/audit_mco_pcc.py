"""AUDIT_MCO_PCC — record audit: contact precautions (PCC) compliant, MCO.

HAS-2024: 37 % (records of 2023), +9 points vs 2022.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("MCO_PCC")
