"""ESATISCA_PEC — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATISCA_PEC", "ca", "pec", "chirurgie ambulatoire")
