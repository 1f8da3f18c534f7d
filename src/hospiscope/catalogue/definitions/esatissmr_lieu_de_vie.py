"""ESATISSMR_LIEU_DE_VIE — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATISSMR_LIEU_DE_VIE", "smr", "lieu_de_vie", "SMR")
