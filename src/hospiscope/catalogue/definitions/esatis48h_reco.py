"""ESATIS48H_RECO — raw recommendation rate, e-Satis questionnaire « MCO plus de 48 h »."""

from hospiscope.catalogue.definitions._esatis_recommendation import recommendation_indicator

INDICATOR = recommendation_indicator("ESATIS48H_RECO", "mco48h", "MCO plus de 48 h")
