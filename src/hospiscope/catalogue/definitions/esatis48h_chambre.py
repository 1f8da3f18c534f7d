"""ESATIS48H_CHAMBRE — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATIS48H_CHAMBRE", "mco48h", "chambre", "MCO plus de 48 h")
