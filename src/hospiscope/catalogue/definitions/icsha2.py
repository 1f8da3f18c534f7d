"""ICSHA2 — consumption of alcohol-based hand rub / personalised objective, version ICSHA.2
(the version whose class grid is published: A > 80 %, B, C, D, E < 20 %)."""

from hospiscope.catalogue.definitions._hygiene import consumption_indicator

INDICATOR = consumption_indicator("ICSHA.2", headline=False)
