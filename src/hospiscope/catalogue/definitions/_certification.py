"""Shared pieces of the certification indicators (HAS, facts.md §2).

Decisions are dated; a bilan is made on a day. hospiscope's period is a calendar year Y and
its results describe the **state at 31 December of Y**: for each establishment, the latest
decision dated on or before that day (a decision stays in force until the next one, across
years). The years are those in which at least one decision of the warehouse is dated. Counts
of the decisions taken *during* Y are a separate indicator (CERT_DECISIONS_ANNEE).

Criteria results follow their decision: a visit's results count from the day its decision is
published (criteria of a visit without a decision in the warehouse are not used), and the
state of a criterion at 31 December of Y is its result at the latest such visit that assessed
it — a follow-up visit re-assesses only some criteria, the others keep their earlier result.
"Non applicable" at that latest visit takes the establishment out of the criterion's shares.

Every indicator has a computation in Ibis (engines) and the same in pandas (reference).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator, IndicatorMeta
from hospiscope.certification import (
    CERTIFIED,
    DECISION_LABELS,
    RANK,
    Decision,
    Result,
    decision_of_rank,
    due_window,
    schedule_status,
)
from hospiscope.certification.schedule import SCHEDULE_LABELS, VISIT_LABELS
from hospiscope.stats import wilson_interval

DECISIONS = "certification_decisions"
CRITERIA = "certification_criteria"
# Metadata merged under each file's META (loader.py): the shares of decisions (cert_part_*),
# the imperative criteria (cert_imp_*) and the other certification indicators. The class
# labels are those of certification/ (tests/unit/catalogue checks they agree).
DEFAULTS = {
    "domain": "certification",
    "inputs": ("certification_decisions",),
}
SHARE_DEFAULTS = {
    "domain": "certification",
    "kind": "rate",
    "factor": 100.0,
    "ci_method": "wilson",
    "levels": ("national", "region", "statut", "strate:type"),
    "inputs": ("certification_decisions",),
    "period": "état au 31 décembre de l'année : dernière décision datée au plus tard ce jour",
}
CRITERION_DEFAULTS = {
    "domain": "certification",
    "kind": "rate",
    "factor": 100.0,
    "class_labels": (("satisfait", "Satisfait"), ("non_satisfait", "Non satisfait")),
    "ci_method": "wilson",
    "levels": ("etablissement", "national", "region", "strate:type"),
    "inputs": ("certification_criteria", "certification_decisions"),
    "period": (
        "état au 31 décembre de l'année : dernière visite évaluant le critère dont la décision "
        "est publiée au plus tard ce jour"
    ),
}


# --- decision state per establishment and year -------------------------------------------


def _day_number(date: ir.DateValue) -> ir.IntegerValue:
    """yyyymmdd as an integer (summable `stat_*` columns must be numbers)."""
    return (
        date.year().cast("int64") * 10000
        + date.month().cast("int64") * 100
        + date.day().cast("int64")
    )


def _years(d: ir.Table) -> ir.Table:
    return d.select(year=d.decision_date.year().cast("int64")).distinct()


def _latest_by_year(rows: ir.Table, years: ir.Table, published: str, order: str) -> ir.Table:
    """For each establishment and year: the row with the greatest `order` among the rows whose
    `published` date is in or before that year (`order` is unique per establishment)."""
    pairs = rows.cross_join(years)
    pairs = pairs.filter(pairs[published].year().cast("int64") <= pairs.year)
    latest = pairs.group_by(["finess_et", "year"]).aggregate(last=pairs[order].max())
    joined = pairs.join(latest, ["finess_et", "year", pairs[order] == latest["last"]])
    return joined.drop("last")


def decision_states(tables: dict[str, ir.Table]) -> ir.Table:
    """finess_et, year, decision, decision_date, visit_date, cycle: the decision in force at
    31 December of each year."""
    d = tables[DECISIONS]
    return _latest_by_year(d, _years(d), "decision_date", "decision_date")


def decision_states_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """pandas reference of `decision_states`."""
    d = frames[DECISIONS].copy()
    d["decision_date"] = pd.to_datetime(d["decision_date"])
    d["visit_date"] = pd.to_datetime(d["visit_date"])
    d["year"] = d["decision_date"].dt.year
    parts = []
    for year in sorted(d["year"].unique()):
        upto = d[d["year"] <= year].reset_index(drop=True)
        last = upto.loc[upto.groupby("finess_et")["decision_date"].idxmax()]
        parts.append(last.assign(year=year))
    columns = ["finess_et", "year", "decision", "decision_date", "visit_date", "cycle"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def _rank(decision: ir.StringValue) -> ir.IntegerValue:
    return ibis.cases(*((decision == code.value, rank) for code, rank in RANK.items()))


def _frame(entity, period, numerator, denominator, **stats) -> pd.DataFrame:
    """The per-establishment table of a reference (scalars are broadcast)."""
    out = pd.DataFrame({"entity_id": pd.Series(entity, dtype=object).to_numpy()})

    def column(values):
        return values.to_numpy() if isinstance(values, pd.Series) else values

    out["period"] = pd.Series(column(period), dtype=object).astype(str).to_numpy()
    out["numerator"] = column(numerator)
    out["denominator"] = column(denominator)
    for name, values in stats.items():
        out[name] = column(values)
    return out


def _yyyymmdd(values: pd.Series) -> pd.Series:
    values = pd.to_datetime(values)
    return values.dt.year * 10000 + values.dt.month * 100 + values.dt.day


# --- CERT_DECISION: the decision in force (categorical) -------------------------------------


def decision_compute(tables: dict[str, ir.Table]) -> ir.Table:
    s = decision_states(tables)
    return s.select(
        entity_id=s.finess_et,
        period=s.year.cast("string"),
        numerator=_rank(s.decision),
        denominator=ibis.null("int64"),
        stat_decision_date=_day_number(s.decision_date),
        stat_visit_date=_day_number(s.visit_date),
        stat_cycle=s.cycle.cast("int64"),
    )


def decision_reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    s = decision_states_frame(frames)
    return _frame(
        s["finess_et"],
        s["year"],
        s["decision"].map({code.value: rank for code, rank in RANK.items()}),
        pd.NA,
        stat_decision_date=_yyyymmdd(s["decision_date"]),
        stat_visit_date=_yyyymmdd(s["visit_date"]),
        stat_cycle=s["cycle"],
    )


def _date(number: float) -> dt.date:
    value = int(number)
    return dt.date(value // 10000, value // 100 % 100, value % 100)


def decision_finish(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """value = rank of the decision (4 best), class = its code; details: the dates, the cycle,
    the window of the next visit and where the establishment stands at 31 December."""
    frame = frame.copy()
    frame["value"] = frame["numerator"].astype(float)
    classes, details = [], []
    for row in frame.itertuples():
        if row.entity_kind != "etablissement" or pd.isna(row.numerator):
            classes.append(None)
            details.append({})
            continue
        decision = decision_of_rank(int(row.numerator))
        decided_on = _date(row.stat_decision_date)
        window = due_window(decision, decided_on)
        year_end = dt.date(int(row.period), 12, 31)
        status = schedule_status(window, year_end)
        classes.append(decision.value)
        details.append(
            {
                "decision": DECISION_LABELS[decision],
                "date_decision": decided_on.isoformat(),
                "date_visite": None
                if pd.isna(row.stat_visit_date)
                else _date(row.stat_visit_date).isoformat(),
                "cycle": int(row.stat_cycle),
                "decision_de_l_annee": decided_on.year == int(row.period),
                "prochaine_visite": VISIT_LABELS[window.kind],
                "visite_attendue_du": window.opens.isoformat(),
                "visite_attendue_au": window.closes.isoformat(),
                "calendrier_au_31_12": status.value,
                "calendrier_libelle": SCHEDULE_LABELS[status],
                "alerte_ars": window.ars_alerted,
            }
        )
    frame["class"] = classes
    frame["details"] = details
    frame["ci_low"] = frame["ci_high"] = frame["ci_level"] = np.nan
    frame["ci_method"] = None
    return frame


# --- shares of each decision -----------------------------------------------------------------


def share_indicator(meta: IndicatorMeta, decisions: tuple[Decision, ...]) -> Indicator:
    """Share of establishments whose decision in force at 31 December is one of `decisions`,
    among establishments with a decision."""
    wanted = [d.value for d in decisions]

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        s = decision_states(tables)
        return s.select(
            entity_id=s.finess_et,
            period=s.year.cast("string"),
            numerator=s.decision.isin(wanted).cast("int64"),
            denominator=ibis.literal(1, "int64"),
        )

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        s = decision_states_frame(frames)
        return _frame(s["finess_et"], s["year"], s["decision"].isin(wanted).astype("int64"), 1)

    return Indicator(meta, compute, reference)


# --- decisions taken during the year -----------------------------------------------------------


def decisions_of_year_compute(tables: dict[str, ir.Table]) -> ir.Table:
    d = tables[DECISIONS]
    grouped = d.group_by(
        entity_id=d.finess_et, period=d.decision_date.year().cast("int64").cast("string")
    ).aggregate(numerator=d.count())
    return grouped.mutate(denominator=ibis.null("int64"))


def decisions_of_year_reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = frames[DECISIONS]
    year = pd.to_datetime(d["decision_date"]).dt.year
    grouped = d.assign(year=year).groupby(["finess_et", "year"], as_index=False).size()
    return _frame(grouped["finess_et"], grouped["year"], grouped["size"], pd.NA)


# --- follow-up visits after "under conditions" ----------------------------------------------


def _follow_ups(d: ir.Table) -> ir.Table:
    """finess_et, conditions_date, follow_up_date, follow_up: the decision following each decision
    "under conditions" of the same establishment."""
    conditions = d.filter(d.decision == Decision.CONDITIONS.value).select(
        "finess_et", conditions_date="decision_date"
    )
    later = d.select("finess_et", "decision_date").rename(later_date="decision_date")
    pairs = conditions.join(later, "finess_et")  # equality joins only (Polars)
    pairs = pairs.filter(pairs.conditions_date < pairs.later_date)
    nearest = pairs.group_by(["finess_et", "conditions_date"]).aggregate(
        follow_up_date=pairs.later_date.min()
    )
    outcome = d.select("finess_et", follow_up_date="decision_date", follow_up="decision")
    return nearest.join(outcome, ["finess_et", "follow_up_date"])


def follow_up_compute(tables: dict[str, ir.Table]) -> ir.Table:
    d = tables[DECISIONS]
    f = _follow_ups(d)
    pairs = f.cross_join(_years(d))
    pairs = pairs.filter(pairs.follow_up_date.year().cast("int64") <= pairs.year)
    return pairs.group_by(entity_id=pairs.finess_et, period=pairs.year.cast("string")).aggregate(
        numerator=pairs.follow_up.isin([c.value for c in CERTIFIED]).cast("int64").sum(),
        denominator=pairs.count(),
    )


def follow_up_reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = frames[DECISIONS].copy()
    d["decision_date"] = pd.to_datetime(d["decision_date"])
    rows = []
    for finess, group in d.sort_values("decision_date").groupby("finess_et"):
        ordered = group.reset_index(drop=True)
        for i in range(len(ordered) - 1):
            if ordered.loc[i, "decision"] == Decision.CONDITIONS.value:
                after = ordered.loc[i + 1]
                certified = after["decision"] in [c.value for c in CERTIFIED]
                rows.append((finess, after["decision_date"].year, int(certified)))
    years = sorted(d["decision_date"].dt.year.unique())
    out = []
    for year in years:
        upto = [(f, ok) for f, y, ok in rows if y <= year]
        for finess in sorted({f for f, _ in upto}):
            outcomes = [ok for f, ok in upto if f == finess]
            out.append((finess, year, sum(outcomes), len(outcomes)))
    frame = pd.DataFrame(out, columns=["entity_id", "year", "numerator", "denominator"])
    return _frame(frame["entity_id"], frame["year"], frame["numerator"], frame["denominator"])


# --- imperative criteria ---------------------------------------------------------------------


def criterion_states(tables: dict[str, ir.Table], code: str) -> ir.Table:
    """finess_et, year, result: the criterion's result at the latest visit assessing it whose
    decision is published on or before 31 December of the year."""
    d, c = tables[DECISIONS], tables[CRITERIA]
    published = d.group_by(["finess_et", "visit_date"]).aggregate(published=d.decision_date.min())
    rows = c.filter(c.criterion == code).join(published, ["finess_et", "visit_date"])
    rows = rows.select("finess_et", "visit_date", "published", "result")
    return _latest_by_year(rows, _years(d), "published", "visit_date")


def criterion_states_frame(frames: dict[str, pd.DataFrame], code: str) -> pd.DataFrame:
    d, c = frames[DECISIONS].copy(), frames[CRITERIA].copy()
    for frame in (d, c):
        frame["visit_date"] = pd.to_datetime(frame["visit_date"])
    d["decision_date"] = pd.to_datetime(d["decision_date"])
    published = d.groupby(["finess_et", "visit_date"], as_index=False)["decision_date"].min()
    rows = c[c["criterion"] == code].merge(published, on=["finess_et", "visit_date"])
    parts = []
    for year in sorted(d["decision_date"].dt.year.unique()):
        upto = rows[rows["decision_date"].dt.year <= year].reset_index(drop=True)
        last = upto.loc[upto.groupby("finess_et")["visit_date"].idxmax()]
        parts.append(last.assign(year=year))
    columns = ["finess_et", "year", "result"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def criterion_finish(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Aggregates: share with a Wilson CI. An establishment: met (100) or not met (0), as a
    class, without a CI (one establishment is not a sample)."""
    meta = indicator.meta
    frame = frame.copy()
    x = frame["numerator"].to_numpy(dtype=float)
    n = frame["denominator"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["value"] = np.where(n > 0, x / n, np.nan) * meta.factor
    establishment = (frame["entity_kind"] == "etablissement").to_numpy()
    usable = ~establishment & (n > 0)
    low, high = np.full(len(frame), np.nan), np.full(len(frame), np.nan)
    low[usable], high[usable] = wilson_interval(x[usable], n[usable], meta.ci_level)
    frame["ci_low"], frame["ci_high"] = low * meta.factor, high * meta.factor
    frame["ci_level"] = np.where(usable, meta.ci_level, np.nan)
    frame["ci_method"] = np.where(usable, "Wilson", None)
    frame["class"] = [
        (Result.MET.value if xi >= ni else Result.NOT_MET.value) if own and ni > 0 else None
        for xi, ni, own in zip(x, n, establishment, strict=True)
    ]
    return frame


def criterion_indicator(meta: IndicatorMeta, code: str) -> Indicator:
    """Share of assessed establishments meeting the imperative criterion `code` at 31
    December."""

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        s = criterion_states(tables, code)
        s = s.filter(s.result != Result.NOT_APPLICABLE.value)
        return s.select(
            entity_id=s.finess_et,
            period=s.year.cast("string"),
            numerator=(s.result == Result.MET.value).cast("int64"),
            denominator=ibis.literal(1, "int64"),
        )

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        s = criterion_states_frame(frames, code)
        s = s[s["result"] != Result.NOT_APPLICABLE.value]
        met = (s["result"] == Result.MET.value).astype("int64")
        return _frame(s["finess_et"], s["year"], met, 1)

    return Indicator(meta, compute, reference, finish=criterion_finish)
