"""AUDIT_PSY_ADDICTIONS — record audit: addiction screening and offer of help to stop,
adult full-time psychiatry.

HAS-2024: 65 % (records of 2023), +10.6 points vs 2021.
"""

from hospiscope.catalogue.definitions._audits import audit_indicator

INDICATOR = audit_indicator("PSY_ADDICTIONS")
