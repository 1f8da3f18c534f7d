"""The usable e-Satis respondents of each questionnaire with their scores: one row per
complete questionnaire, its case-mix cell, its mean score over all answered items and per
dimension. A derived table: built once per computation run, read by every score indicator.

Respondent score: an item answered 1–4 scores (answer − 1) × 100 / 3; 9 "non concerné" and
blanks are left out; a score is the mean of the answered items (NULL when none).
"""

from __future__ import annotations

from functools import reduce
from operator import add

import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.definitions._esatis_common import (
    cell_code,
    cell_columns,
    pandas_cell_code,
    pandas_cells,
)
from hospiscope.catalogue.model import DerivedTable
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Item, Questionnaire

OVERALL = "score_global"


def table_name(questionnaire: str) -> str:
    return f"esatis_{questionnaire}_repondants"


def score_column(dimension: str | None) -> str:
    return OVERALL if dimension is None else f"score_{dimension}"


def respondent_tables() -> list[DerivedTable]:
    return [_derived(q) for q in QUESTIONNAIRES.values()]


def _derived(questionnaire: Questionnaire) -> DerivedTable:
    def build(tables: dict[str, ir.Table]) -> ir.Table:
        r = tables[questionnaire.table]
        r = r.filter(r.complete)
        scores = {score_column(d.code): _mean(r, d.items) for d in questionnaire.dimensions}
        return r.select(
            r.finess_et,
            r.campaign,
            cellule=cell_code(r),
            **cell_columns(r),
            **{OVERALL: _mean(r, questionnaire.items)},
            **scores,
        )

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        r = frames[questionnaire.table]
        r = r[r["complete"].astype(bool)]
        out = pd.concat(
            [r[["finess_et", "campaign"]], pandas_cell_code(r).rename("cellule"), pandas_cells(r)],
            axis=1,
        )
        out[OVERALL] = _pandas_mean(r, questionnaire.items)
        for dimension in questionnaire.dimensions:
            out[score_column(dimension.code)] = _pandas_mean(r, dimension.items)
        return out.reset_index(drop=True)

    return DerivedTable(table_name(questionnaire.code), (questionnaire.table,), build, reference)


def _mean(r: ir.Table, items: tuple[Item, ...]) -> ir.Value:
    """Mean item score, written with arithmetic rather than a CASE per item (engines without
    common-subexpression elimination would evaluate the item expressions several times)."""
    valid = [r[i.code].between(1, 4).fill_null(False).cast("float64") for i in items]
    points = [
        (r[i.code].cast("float64").fill_null(1) - 1) * v for i, v in zip(items, valid, strict=True)
    ]
    return reduce(add, points) * (100 / 3) / reduce(add, valid).nullif(0)


def _pandas_mean(r: pd.DataFrame, items: tuple[Item, ...]) -> pd.Series:
    values = r[[item.code for item in items]].astype(float)
    return ((values - 1) * 100 / 3).where((values >= 1) & (values <= 4)).mean(axis=1)
