"""ICSHA2_OBJECTIF_ATTEINT — share of establishments at 100 % or more of their personalised
hand-rub objective, version ICSHA.2."""

from hospiscope.catalogue.definitions._hygiene import attainment_indicator

INDICATOR = attainment_indicator("ICSHA.2", headline=False)
