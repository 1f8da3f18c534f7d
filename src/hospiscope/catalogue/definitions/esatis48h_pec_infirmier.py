"""ESATIS48H_PEC_INFIRMIER — e-Satis dimension score, case-mix adjusted (_esatis_score.py)."""

from hospiscope.catalogue.definitions._esatis_score import score_indicator

INDICATOR = score_indicator(
    "ESATIS48H_PEC_INFIRMIER", "mco48h", "pec_infirmier", "MCO plus de 48 h"
)
