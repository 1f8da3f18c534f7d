"""ESATIS48H_SCORE — e-Satis overall score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator
from hospiscope.catalogue.grids import load_grids

INDICATOR = score_indicator(
    "ESATIS48H_SCORE", "mco48h", None, "MCO plus de 48 h", load_grids("esatis")["mco48h"]
)
