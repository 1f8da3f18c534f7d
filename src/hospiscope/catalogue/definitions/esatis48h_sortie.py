"""ESATIS48H_SORTIE — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATIS48H_SORTIE", "mco48h", "sortie", "MCO plus de 48 h")
