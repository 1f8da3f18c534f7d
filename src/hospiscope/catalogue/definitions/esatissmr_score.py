"""ESATISSMR_SCORE — e-Satis overall score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator
from hospiscope.catalogue.grids import load_grids

INDICATOR = score_indicator("ESATISSMR_SCORE", "smr", None, "SMR", load_grids("esatis")["smr"])
