"""National values of published results, which carry none: HAS publishes establishment
values only, so readers (summary, bilan) show the mean of the establishments' values
weighted by their number of responses, and say so."""

from __future__ import annotations

import pandas as pd

PUBLISHED_NATIONAL_NOTE = (
    "Résultats publiés par la HAS : la valeur nationale est la moyenne des "
    "établissements pondérée par leur nombre de réponses."
)


def published_national(rows: pd.DataFrame) -> dict | None:
    """National value of published results: the mean of establishment values weighted by
    their number of responses (None when no establishment has a value)."""
    rows = rows[
        (rows["entity_kind"] == "etablissement") & rows["value"].notna() & (rows["denominator"] > 0)
    ]
    if rows.empty:
        return None
    weight = rows["denominator"].astype(float)
    value = float((rows["value"] * weight).sum() / weight.sum())
    return {
        "value": value,
        "numerator": None,
        "denominator": float(weight.sum()),
        "ci_low": None,
        "ci_high": None,
        "ci_level": None,
        "ci_method": None,
        "method_version": rows["method_version"].iloc[0],
        "method_changed": False,
        "computation_id": None,
    }
