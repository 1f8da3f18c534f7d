"""VACCIN_GRIPPE — staff flu vaccination coverage per establishment and winter season, with
a Wilson interval and five levels (« très insuffisant » < 20 % … « exemplaire » ≥ 75 %)."""

from hospiscope.catalogue.definitions._vaccination import coverage_indicator

INDICATOR = coverage_indicator("VACCIN_GRIPPE")
