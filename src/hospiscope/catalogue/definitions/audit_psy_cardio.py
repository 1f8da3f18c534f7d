"""AUDIT_PSY_CARDIO — record audit: cardiovascular and metabolic evaluation, adult full-time
psychiatry.

HAS-2024: 69 % (records of 2023), +9 points vs 2021.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("PSY_CARDIO")
