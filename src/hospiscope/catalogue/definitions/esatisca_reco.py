"""ESATISCA_RECO — raw recommendation rate, e-Satis questionnaire « chirurgie ambulatoire »."""

from hospiscope.catalogue.definitions._esatis_recommendation import recommendation_indicator

INDICATOR = recommendation_indicator("ESATISCA_RECO", "ca", "chirurgie ambulatoire")
