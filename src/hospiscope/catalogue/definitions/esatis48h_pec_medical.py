"""ESATIS48H_PEC_MEDICAL — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATIS48H_PEC_MEDICAL", "mco48h", "pec_medical", "MCO plus de 48 h")
