"""From pooled sums to published values, in six steps that every indicator goes through:

1. values and confidence intervals (results.values: the indicator's `finish`, or the
   standard rules with the CI of stats.ci_method);
2. statuses, which withhold values (results.statuses);
3. classes from the period's grid (results.classes);
4. changes since the previous period: the class's evolution and the value's change
   (results.changes);
5. positions against the national value and the target (results.positions);
6. details, the JSON of what steps 4 and 5 found (results.details).

The output has the finalised columns of the result schema (warehouse.results_schema).
"""

from __future__ import annotations

import pandas as pd

from hospiscope.catalogue.model import Indicator
from hospiscope.results.changes import changes, evolutions
from hospiscope.results.classes import class_column
from hospiscope.results.details import details_json
from hospiscope.results.positions import POSITION_RULE, POSITIONED_KINDS, positions
from hospiscope.results.rows import Rows
from hospiscope.results.statuses import apply_statuses
from hospiscope.results.values import values
from hospiscope.warehouse.results_schema import FINALISED_COLUMNS

OUTPUT_COLUMNS = list(FINALISED_COLUMNS)
# POSITION_RULE stays importable from here: spec tests and readers of the details know it so.
__all__ = ["OUTPUT_COLUMNS", "POSITION_RULE", "finalize"]


def finalize(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per level, entity and period with every finalised column."""
    out = values(indicator, frame)
    given_details = out.get("details", [None] * len(out))
    rows = Rows.of(out)
    apply_statuses(indicator.meta, out, rows)
    out["class"] = class_column(indicator, out, rows)
    extras = [evolutions(out, rows), changes(out, rows.period)]
    if indicator.meta.kind in POSITIONED_KINDS:
        extras.append(positions(indicator, out, rows))
    out["details"] = details_json(given_details, *extras)
    for column in OUTPUT_COLUMNS:
        if column not in out:
            out[column] = None
    return out[OUTPUT_COLUMNS]
