"""ESATISSMR_RECO — raw recommendation rate, e-Satis questionnaire « SMR »."""

from hospiscope.catalogue.definitions._esatis_recommendation import recommendation_indicator

INDICATOR = recommendation_indicator("ESATISSMR_RECO", "smr", "SMR")
