"""ESATIS48H_ACCUEIL — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator("ESATIS48H_ACCUEIL", "mco48h", "accueil", "MCO plus de 48 h")
