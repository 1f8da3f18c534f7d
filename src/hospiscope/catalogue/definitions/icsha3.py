"""ICSHA3 — consumption of alcohol-based hand rub / personalised objective, version ICSHA.3
(the current version; its class grid is a labelled assumption until published)."""

from hospiscope.catalogue.definitions._hygiene import consumption_indicator

INDICATOR = consumption_indicator("ICSHA.3", headline=True)
