"""The usable e-Satis respondents of each questionnaire, summed per establishment, campaign
and case-mix cell: for the overall score and every dimension score, the number of
respondents with that score (`n_*`), the sum of their scores (`s_*`) and of their squares
(`q_*`). A derived table, built once per computation run and read by every score indicator:
these sums are all the scores, their case-mix adjustment and their CIs need, and the table is
several times smaller than the respondents.

Respondent score: an item answered 1–4 scores (answer − 1) × 100 / 3; 9 "non concerné" and
blanks are left out; a score is the mean of the answered items (none: no score). Only
complete questionnaires count.
"""

from __future__ import annotations

from functools import reduce
from operator import add

import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.definitions._esatis_common import (
    cell_code,
    cells_of_code,
    pandas_cell_code,
    pandas_cells_of_code,
)
from hospiscope.catalogue.model import DerivedTable
from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES, Item, Questionnaire

OVERALL = "score_global"
KEYS = ("finess_et", "campaign", "cellule")


def table_name(questionnaire: str) -> str:
    return f"esatis_{questionnaire}_cellules"


def score_column(dimension: str | None) -> str:
    return OVERALL if dimension is None else f"score_{dimension}"


def sum_columns(score: str) -> tuple[str, str, str]:
    """(respondents with the score, Σ score, Σ score²) columns of a score."""
    return f"n_{score}", f"s_{score}", f"q_{score}"


def respondent_tables() -> list[DerivedTable]:
    return [_derived(q) for q in QUESTIONNAIRES.values()]


def _scores(questionnaire: Questionnaire) -> dict[str, tuple[Item, ...]]:
    scores = {OVERALL: questionnaire.items}
    scores |= {score_column(d.code): d.items for d in questionnaire.dimensions}
    return scores


def _derived(questionnaire: Questionnaire) -> DerivedTable:
    scores = _scores(questionnaire)

    def build(tables: dict[str, ir.Table]) -> ir.Table:
        r = tables[questionnaire.table]
        r = r.filter(r.complete)
        r = r.select(
            r.finess_et,
            r.campaign,
            cellule=cell_code(r),
            **{name: _mean(r, items) for name, items in scores.items()},
        )
        sums = {}
        for name in scores:
            n, total, squares = sum_columns(name)
            sums |= {n: r[name].count(), total: r[name].sum(), squares: (r[name] ** 2).sum()}
        cells = r.group_by(list(KEYS)).aggregate(**sums)
        return cells.mutate(**cells_of_code(cells.cellule))

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        r = frames[questionnaire.table]
        r = r[r["complete"].astype(bool)]
        respondents = pd.DataFrame(
            {
                "finess_et": r["finess_et"],
                "campaign": r["campaign"],
                "cellule": pandas_cell_code(r),
                **{name: _pandas_mean(r, items) for name, items in scores.items()},
            }
        )
        aggregations = {}
        for name in scores:
            n, total, squares = sum_columns(name)
            respondents[f"{name}__sq"] = respondents[name] ** 2
            # A cell with no score sums to 0 here and to NULL in SQL: both have n = 0, which
            # every reader leaves out.
            aggregations |= {
                n: (name, "count"),
                total: (name, "sum"),
                squares: (f"{name}__sq", "sum"),
            }
        cells = respondents.groupby(list(KEYS), as_index=False).agg(**aggregations)
        return pd.concat([cells, pandas_cells_of_code(cells["cellule"])], axis=1)

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
