"""ESATISSMR_SORTIE — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATISSMR_SORTIE", "smr", "sortie", "SMR")
