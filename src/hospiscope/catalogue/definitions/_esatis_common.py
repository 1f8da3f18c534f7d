"""Building blocks shared by the e-Satis definitions: the responses of validated
submissions, case-mix cells, and the participation rows that give the NR / NV statuses. Each
is written twice, once in Ibis (run by the engines) and once in pandas (the reference
implementation)."""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from hospiscope.sources.esatis.questionnaires import QUESTIONNAIRES

# Case-mix cells: the patient characteristics the questionnaire collects (age, sex, admission
# mode, self-rated health). Missing answers form their own level "NR".
CELLS = ("classe_age", "sexe", "mode_entree", "etat_sante")
MISSING = "NR"
AGE_BANDS = ((45, "18-44"), (65, "45-64"), (75, "65-74"))
OLDEST = "75+"
PARTICIPATION = "esatis_participation"


def validated(table: ir.Table, tables: dict[str, ir.Table], questionnaire: str) -> ir.Table:
    """The rows (responses or case-mix cells, keyed by finess_et and campaign) of the
    submissions that were not rejected: the responses of an establishment whose submission
    was not validated (NV) are not usable, so they enter no aggregate and not the national
    model (the pooling assumption stated in every e-Satis file); the establishment keeps its
    NV status from its participation row."""
    p = tables[PARTICIPATION]
    rejected = p.filter((p.questionnaire == questionnaire) & p.participated & ~p.validated)
    rejected = rejected.select(
        rejected_finess=rejected.finess_et, rejected_campaign=rejected.campaign
    )
    return table.anti_join(
        rejected,
        [
            table.finess_et == rejected.rejected_finess,
            table.campaign == rejected.rejected_campaign,
        ],
    )


def pandas_validated(
    frame: pd.DataFrame, frames: dict[str, pd.DataFrame], questionnaire: str
) -> pd.DataFrame:
    p = frames[PARTICIPATION]
    rejected = p[
        (p["questionnaire"] == questionnaire)
        & p["participated"].astype(bool)
        & ~p["validated"].astype(bool)
    ]
    return frame[~_keys(frame).isin(_keys(rejected))]


def _keys(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays(
        [frame["finess_et"].astype(str).to_numpy(), frame["campaign"].astype("int64").to_numpy()]
    )


def cell_code(r: ir.Table) -> ir.Value:
    """The case-mix cell as one small integer (age band, sex, admission mode, self-rated
    health as digits): joins and groupings on it are several times faster than on four
    text columns.

    Every digit is cast to int32 *before* the arithmetic: Ibis types the literals 1, 2 and
    100 as int8, so `sex * 100` is int8 × int8; DuckDB widens it, but Polars wraps around
    (2 × 100 = −56), which coded every man in a wrong cell read back as "NR" and gave
    Polars another case-mix model than DuckDB and the reference."""
    age = ibis.cases(
        *[(r.age < bound, i + 1) for i, (bound, _) in enumerate(AGE_BANDS)],
        (r.age.notnull(), len(AGE_BANDS) + 1),
        else_=0,
    ).cast("int32")
    sex = ibis.cases((r.sex == "F", 1), (r.sex == "H", 2), else_=0).cast("int32")
    mode = ibis.cases(
        (r.admission_mode == "urgence", 1), (r.admission_mode == "programme", 2), else_=0
    ).cast("int32")
    health = r.self_rated_health.cast("int32").fill_null(0)
    return (age * 1000 + sex * 100 + mode * 10 + health).cast("int32")


def pandas_cell_code(r: pd.DataFrame) -> pd.Series:
    age = r["age"]
    bands = np.select(
        [age < bound for bound, _ in AGE_BANDS] + [age.notna()],
        list(range(1, len(AGE_BANDS) + 2)),
        0,
    )
    sex = r["sex"].map({"F": 1, "H": 2}).fillna(0).to_numpy()
    mode = r["admission_mode"].map({"urgence": 1, "programme": 2}).fillna(0).to_numpy()
    health = r["self_rated_health"].fillna(0).to_numpy()
    return pd.Series((bands * 1000 + sex * 100 + mode * 10 + health).astype("int32"), index=r.index)


# The digits of a cell code and their labels (0 is always the missing answer).
_AGE_LABELS = {i + 1: label for i, (_, label) in enumerate(AGE_BANDS)} | {
    len(AGE_BANDS) + 1: OLDEST
}
_SEX_LABELS = {1: "F", 2: "H"}
_MODE_LABELS = {1: "urgence", 2: "programme"}
_HEALTH_LABELS = {i: str(i) for i in range(1, 6)}
_DIGITS = (  # cell column, place value, labels
    ("classe_age", 1000, _AGE_LABELS),
    ("sexe", 100, _SEX_LABELS),
    ("mode_entree", 10, _MODE_LABELS),
    ("etat_sante", 1, _HEALTH_LABELS),
)


def cells_of_code(code: ir.IntegerValue) -> dict[str, ir.Value]:
    """The four case-mix columns (labels) read back from a cell code."""
    columns = {}
    for name, place, labels in _DIGITS:
        digit = (code // place) % 10
        columns[name] = ibis.cases(*[(digit == k, v) for k, v in labels.items()], else_=MISSING)
    return columns


def pandas_cells_of_code(code: pd.Series) -> pd.DataFrame:
    columns = {}
    for name, place, labels in _DIGITS:
        digit = (code.astype("int64") // place) % 10
        columns[name] = digit.map(labels).fillna(MISSING).astype(str)
    return pd.DataFrame(columns, index=code.index)


def with_participation(
    aggregated: ir.Table, tables: dict[str, ir.Table], questionnaire: str
) -> ir.Table:
    """Add, per establishment and campaign, a marker row with stat_nr = 1 when it did not take
    part, stat_nv = 1 when its submission was not validated (zero everywhere else)."""
    p = tables[PARTICIPATION]
    p = p.filter((p.questionnaire == questionnaire) & (~p.participated | ~p.validated))
    numeric = [c for c in aggregated.columns if c not in ("entity_id", "period")]
    markers = p.select(
        entity_id=p.finess_et,
        period=p.campaign.cast("string"),
        **{c: ibis.literal(0.0) for c in numeric},
        stat_nr=(~p.participated).cast("float64"),
        stat_nv=(p.participated & ~p.validated).cast("float64"),
    )
    aggregated = aggregated.mutate(stat_nr=ibis.literal(0.0), stat_nv=ibis.literal(0.0))
    return ibis.union(
        _uniform(aggregated, markers.columns), _uniform(markers, markers.columns), distinct=False
    )


def _uniform(table: ir.Table, columns: tuple[str, ...]) -> ir.Table:
    """Nullable text keys and float values, so that both sides of the union match."""
    text, number = dt.String(nullable=True), dt.Float64(nullable=True)
    return table.select(
        **{c: table[c].cast(text if c in ("entity_id", "period") else number) for c in columns}
    )


def pandas_with_participation(
    aggregated: pd.DataFrame, frames: dict[str, pd.DataFrame], questionnaire: str
) -> pd.DataFrame:
    p = frames[PARTICIPATION]
    participated, validated = p["participated"].astype(bool), p["validated"].astype(bool)
    p = p[(p["questionnaire"] == questionnaire) & (~participated | ~validated)]
    participated, validated = p["participated"].astype(bool), p["validated"].astype(bool)
    markers = pd.DataFrame(
        {
            "entity_id": p["finess_et"],
            "period": p["campaign"].astype(str),
            "stat_nr": (~participated).astype(float),
            "stat_nv": (participated & ~validated).astype(float),
        }
    )
    aggregated = aggregated.assign(stat_nr=0.0, stat_nv=0.0)
    numeric = [c for c in aggregated.columns if c not in ("entity_id", "period")]
    return pd.concat([aggregated, markers], ignore_index=True).fillna({c: 0.0 for c in numeric})


def table_of(questionnaire: str) -> str:
    return QUESTIONNAIRES[questionnaire].table
