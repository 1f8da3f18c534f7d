"""ESATISCA_CHAMBRE_COLLATION — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator(
    "ESATISCA_CHAMBRE_COLLATION", "ca", "chambre_collation", "chirurgie ambulatoire"
)
