"""ESATIS48H_REPAS — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATIS48H_REPAS", "mco48h", "repas", "MCO plus de 48 h")
