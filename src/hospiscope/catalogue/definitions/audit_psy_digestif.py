"""AUDIT_PSY_DIGESTIF — record audit: gastro-intestinal evaluation, adult full-time psychiatry.

HAS-2024: 46 % (records of 2023), +17.5 points vs 2021.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("PSY_DIGESTIF")
