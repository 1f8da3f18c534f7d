"""Building blocks shared by the e-Satis definitions: usable responses, case-mix cells, and
the participation rows that give the NR / NV statuses. Each is written twice, once in Ibis
(run by the engines) and once in pandas (the reference implementation)."""

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


def usable(table: ir.Table) -> ir.Table:
    """Usable responses: complete questionnaires (HAS counts usable responses for DI)."""
    return table.filter(table.complete)


def cell_columns(r: ir.Table) -> dict[str, ir.Value]:
    age = ibis.cases(
        *[(r.age < bound, label) for bound, label in AGE_BANDS],
        (r.age.notnull(), OLDEST),
        else_=MISSING,
    )
    return {
        "classe_age": age,
        "sexe": r.sex.fill_null(MISSING),
        "mode_entree": r.admission_mode.fill_null(MISSING),
        "etat_sante": r.self_rated_health.cast("string").fill_null(MISSING),
    }


def cell_code(r: ir.Table) -> ir.Value:
    """The case-mix cell as one small integer (age band, sex, admission mode, self-rated
    health as digits): joins and groupings on it are several times faster than on four
    text columns."""
    age = ibis.cases(
        *[(r.age < bound, i + 1) for i, (bound, _) in enumerate(AGE_BANDS)],
        (r.age.notnull(), len(AGE_BANDS) + 1),
        else_=0,
    )
    sex = ibis.cases((r.sex == "F", 1), (r.sex == "H", 2), else_=0)
    mode = ibis.cases(
        (r.admission_mode == "urgence", 1), (r.admission_mode == "programme", 2), else_=0
    )
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


def pandas_cells(r: pd.DataFrame) -> pd.DataFrame:
    age = r["age"]
    conditions = [age < bound for bound, _ in AGE_BANDS] + [age.notna()]
    labels = [label for _, label in AGE_BANDS] + [OLDEST]
    return pd.DataFrame(
        {
            "classe_age": np.select(conditions, labels, MISSING),
            "sexe": r["sex"].fillna(MISSING).astype(str),
            "mode_entree": r["admission_mode"].fillna(MISSING).astype(str),
            "etat_sante": r["self_rated_health"]
            .astype("Int64")
            .astype(str)
            .replace("<NA>", MISSING),
        },
        index=r.index,
    )


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
