"""ICSHA3_OBJECTIF_ATTEINT — share of establishments at 100 % or more of their personalised
hand-rub objective, version ICSHA.3 (national 2024: 28 %, 2023: 33 %)."""

from hospiscope.catalogue.definitions._hygiene import attainment_indicator

INDICATOR = attainment_indicator("ICSHA.3", headline=True)
