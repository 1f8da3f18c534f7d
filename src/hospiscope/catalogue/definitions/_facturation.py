"""Billing and recovery: how fast an establishment bills its care and how much of it it
recovers, from its invoices (sources/facturation.py, docs/formats/facturation.md). The
computation is shared here; each indicator's metadata is the literal META of its own file
(`eff_*.py`).

Every indicator reads the invoices of one year of care n (the year of `date_soins`), per
establishment:
- billing delay, ANAP method (facts.md §4): amount of the year-n invoices issued in the
  complementary period, 1 January – 31 March n+1, over the amount of every year-n invoice,
  × 365 → days; all debtors, or one debtor type. The denominator is the annual amount billed,
  so that a later step reads the daily revenue as denominator / 365;
- rejection rate: rejected invoices / invoices sent to the compulsory insurer (AMO), in
  number of invoices (a line may be a batch: `nombre_factures`), with the establishment's
  CDRi flag (table billing_cdri) kept as `stat_cdri` / `stat_sans_cdri` for the reference
  that applies to it (1.29 % with CDRi, 3.59 % without: grids/facturation.yaml);
- AMC recovery at 6 months: amount recovered from complementary insurers by 30 June n+1 over
  the amount billed to them for year n;
- patient-charge receivables not recovered: amount billed to patients for year n minus what
  was recovered by 31 December n+1, over that amount.

Choices, each stated in the indicators' assumptions: rejected invoices are left out of the
amounts (a rejected invoice is cancelled and issued again, the new invoice being a line of
its own) and count only in the rejection rate; a recovered amount counts up to the invoice's
amount; a recovery without a date counts as not recovered; an amount is in euros, a batch's
amount the sum of its invoices. Pooling: a region, a type, the nation… sums numerators and
denominators (amounts, or invoices), as every family does.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator, IndicatorMeta
from hospiscope.sources.facturation import AMC, AMO, CDRI_TABLE, INVOICES_TABLE, PATIENT
from hospiscope.stats import ci_method

# Metadata merged under each file's META (loader.py), plain literals (read without importing
# this module): the billing delays (EFF_DELAI_*) …
DEFAULTS = {
    "domain": "efficience",
    "kind": "ratio",
    "unit": "jours",
    "factor": 365.0,
    "direction": "lower_is_better",
    "target": 30.0,
    "target_source": (
        "ANAP, audits 360° : délai de facturation jugé acceptable de 30 jours (IGF-IGAS 2025, "
        "annexe XII, fiche 2, § 2.1.1)"
    ),
    "statuses": (
        {
            "code": "DI",
            "label": "Données insuffisantes : aucun montant facturé pour l'année de soins",
        },
    ),
    "ci_method": "none",
    "levels": ("etablissement", "national", "region", "statut", "strate:type", "strate:taille"),
    "inputs": ("billing_invoices",),
    "period": "année des soins n (factures émises jusqu'au 31 mars n+1 et au-delà)",
    "source_document": (
        "IGF-IGAS, rapport « Face à la gravité de la situation financière des hôpitaux "
        "publics, renforcer l'efficience par une intégration territoriale » (n° 2025-E-023-02 "
        "/ 2025-030R, septembre 2025), annexe XII « Leviers d'efficacité interne », fiche 2 "
        "« Gestion financière et comptable / recouvrement et trésorerie »"
    ),
    "source_section": "facts.md §4, ANAP billing-delay method ; annexe XII, § 2.1.1",
    "method_version": "1.0",
}
# … and the rejection and recovery rates (EFF_TAUX_REJET, EFF_RECOUVREMENT_AMC_6M,
# EFF_CREANCES_PATIENT).
RECOVERY_DEFAULTS = {
    "domain": "efficience",
    "kind": "ratio",
    "unit": "%",
    "factor": 100.0,
    "statuses": (
        {
            "code": "DI",
            "label": "Données insuffisantes : aucun montant facturé pour l'année de soins",
        },
    ),
    "ci_method": "none",
    "levels": ("etablissement", "national", "region", "statut", "strate:type", "strate:taille"),
    "inputs": ("billing_invoices",),
    "period": "année des soins n",
    "source_document": (
        "IGF-IGAS, rapport « Face à la gravité de la situation financière des hôpitaux "
        "publics, renforcer l'efficience par une intégration territoriale » (n° 2025-E-023-02 "
        "/ 2025-030R, septembre 2025), annexe XII « Leviers d'efficacité interne », fiche 2 "
        "« Gestion financière et comptable / recouvrement et trésorerie »"
    ),
    "method_version": "1.0",
}


# --- Ibis (engines) ------------------------------------------------------------------------


def _kept(tables: dict[str, ir.Table], debtor: str | None) -> ir.Table:
    """The invoices that count in amounts: not rejected, of `debtor` (None: every debtor)."""
    t = tables[INVOICES_TABLE]
    t = t.filter(~t.rejected.fill_null(False))
    return t if debtor is None else t.filter(t.debtor == debtor)


def _per_year(t: ir.Table, numerator: ir.Value, denominator: ir.Value) -> ir.Table:
    year = t.service_date.year()
    sums = t.group_by(entity_id=t.finess_et, period=year.cast("string")).aggregate(
        numerator=numerator.sum(), denominator=denominator.sum()
    )
    return sums.mutate(stat_di=(sums.denominator <= 0).cast("int64"))


def _recovered_by(t: ir.Table, last_year: ir.Value, last_month: int) -> ir.Value:
    """What was recovered on an invoice by the end of `last_month` of `last_year`, up to its
    amount (0 when nothing, or no date, or later)."""
    date = t.recovery_date
    in_time = date.notnull() & (
        (date.year() < last_year) | ((date.year() == last_year) & (date.month() <= last_month))
    )
    recovered = ibis.least(t.recovered_amount.fill_null(0.0), t.amount)
    return ibis.ifelse(in_time.fill_null(False), recovered, 0.0)


def billing_delay(debtor: str | None):
    """The ANAP billing delay of `debtor` (None: every debtor)."""

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        t = _kept(tables, debtor)
        next_year = t.service_date.year() + 1
        complementary = (t.issue_date.year() == next_year) & (t.issue_date.month() <= 3)
        return _per_year(t, ibis.ifelse(complementary, t.amount, 0.0), t.amount)

    return compute


def amc_recovery(tables: dict[str, ir.Table]) -> ir.Table:
    t = _kept(tables, AMC)
    return _per_year(t, _recovered_by(t, t.service_date.year() + 1, 6), t.amount)


def patient_receivables(tables: dict[str, ir.Table]) -> ir.Table:
    t = _kept(tables, PATIENT)
    recovered = _recovered_by(t, t.service_date.year() + 1, 12)
    return _per_year(t, t.amount - recovered, t.amount)


def rejection_rate(tables: dict[str, ir.Table]) -> ir.Table:
    t = tables[INVOICES_TABLE]
    t = t.filter(t.debtor == AMO)
    count = t.invoice_count.fill_null(1).cast("int64")
    year = t.service_date.year()
    sums = t.group_by(finess=t.finess_et, year=year).aggregate(
        numerator=ibis.ifelse(t.rejected.fill_null(False), count, 0).sum(),
        denominator=count.sum(),
    )
    c = tables[CDRI_TABLE]
    flags = c.select(flag_finess=c.finess_et, flag_year=c.year.cast("int64"), cdri=c.cdri)
    joined = sums.left_join(
        flags, (sums.finess == flags.flag_finess) & (sums.year.cast("int64") == flags.flag_year)
    )
    return joined.select(
        entity_id=joined.finess,
        period=joined.year.cast("string"),
        numerator=joined.numerator,
        denominator=joined.denominator,
        stat_cdri=(joined.cdri == True).fill_null(False).cast("int64"),  # noqa: E712
        stat_sans_cdri=(joined.cdri == False).fill_null(False).cast("int64"),  # noqa: E712
        stat_di=(joined.denominator <= 0).cast("int64"),
    )


# --- pandas (reference) --------------------------------------------------------------------


def _frame_kept(frames: dict[str, pd.DataFrame], debtor: str | None) -> pd.DataFrame:
    t = frames[INVOICES_TABLE]
    t = t[~t["rejected"].fillna(False).astype(bool)]
    return t if debtor is None else t[t["debtor"] == debtor]


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column)


def _frame_per_year(t: pd.DataFrame, numerator, denominator) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "entity_id": t["finess_et"].astype(str),
            "period": _dates(t["service_date"]).dt.year.astype(str),
            "numerator": np.asarray(numerator, dtype=float),
            "denominator": np.asarray(denominator, dtype=float),
        }
    )
    sums = frame.groupby(["entity_id", "period"], as_index=False)[
        ["numerator", "denominator"]
    ].sum()
    sums["stat_di"] = (sums["denominator"] <= 0).astype("int64")
    return sums


def _frame_recovered_by(t: pd.DataFrame, last_year: pd.Series, last_month: int) -> np.ndarray:
    date = _dates(t["recovery_date"])
    in_time = date.notna() & (
        (date.dt.year < last_year) | ((date.dt.year == last_year) & (date.dt.month <= last_month))
    )
    amount = t["amount"].astype(float)
    recovered = np.minimum(t["recovered_amount"].astype(float).fillna(0.0), amount)
    return np.where(in_time, recovered, 0.0)


def pandas_billing_delay(debtor: str | None):
    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        t = _frame_kept(frames, debtor)
        issued, year = _dates(t["issue_date"]), _dates(t["service_date"]).dt.year
        complementary = (issued.dt.year == year + 1) & (issued.dt.month <= 3)
        amount = t["amount"].astype(float)
        return _frame_per_year(t, np.where(complementary, amount, 0.0), amount)

    return reference


def pandas_amc_recovery(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    t = _frame_kept(frames, AMC)
    year = _dates(t["service_date"]).dt.year
    return _frame_per_year(t, _frame_recovered_by(t, year + 1, 6), t["amount"].astype(float))


def pandas_patient_receivables(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    t = _frame_kept(frames, PATIENT)
    year = _dates(t["service_date"]).dt.year
    amount = t["amount"].astype(float)
    return _frame_per_year(t, amount - _frame_recovered_by(t, year + 1, 12), amount)


def pandas_rejection_rate(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    t = frames[INVOICES_TABLE]
    t = t[t["debtor"] == AMO]
    count = t["invoice_count"].astype(float).fillna(1.0)
    rejected = t["rejected"].fillna(False).astype(bool)
    frame = pd.DataFrame(
        {
            "entity_id": t["finess_et"].astype(str),
            "year": _dates(t["service_date"]).dt.year.astype("int64"),
            "numerator": np.where(rejected, count, 0.0),
            "denominator": count,
        }
    )
    sums = frame.groupby(["entity_id", "year"], as_index=False)[["numerator", "denominator"]].sum()
    c = frames[CDRI_TABLE]
    flags = pd.DataFrame(
        {
            "entity_id": c["finess_et"].astype(str),
            "year": c["year"].astype("int64"),
            "cdri": c["cdri"].astype(object),
        }
    )
    sums = sums.merge(flags, on=["entity_id", "year"], how="left")
    return pd.DataFrame(
        {
            "entity_id": sums["entity_id"],
            "period": sums["year"].astype(str),
            "numerator": sums["numerator"],
            "denominator": sums["denominator"],
            "stat_cdri": (sums["cdri"] == True).astype("int64"),  # noqa: E712
            "stat_sans_cdri": (sums["cdri"] == False).astype("int64"),  # noqa: E712
            "stat_di": (sums["denominator"] <= 0).astype("int64"),
        }
    )


# --- rejection rate: the reference that applies ------------------------------------------


def rejection_values(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """The standard rate with its Wilson interval; details: for an establishment, whether it
    uses CDRi and the national mean rate of its kind (the bounds of the class grid: 1.29 %
    with CDRi, 3.59 % without); for a group, how many of its establishments use CDRi."""
    frame = _rate(indicator.meta, frame)
    with_cdri = _markers(frame, "stat_cdri")
    without = _markers(frame, "stat_sans_cdri")
    details = []
    for kind, period, value, yes, no in zip(
        frame["entity_kind"], frame["period"], frame["value"], with_cdri, without, strict=True
    ):
        if kind != "etablissement":
            details.append({"etablissements_avec_cdri": yes, "etablissements_sans_cdri": no})
            continue
        entry = {"cdri": "oui" if yes else "non" if no else "non renseigné"}
        reference = _reference(indicator, str(period), bool(yes), bool(no))
        if reference is not None:
            entry["reference_moyenne_pct"] = reference
            if not pd.isna(value):
                entry["ecart_reference_points"] = round(float(value) - reference, 2)
        details.append(entry)
    frame["details"] = details
    return frame


def _rate(meta: IndicatorMeta, frame: pd.DataFrame) -> pd.DataFrame:
    """numerator / denominator × factor with the interval of the indicator's method (the
    standard rule of results/values.py, which the catalogue may not import)."""
    method = ci_method(meta.ci_method)
    frame = frame.copy()
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["value"] = np.where(denominator > 0, numerator / denominator, np.nan) * meta.factor
    low, high = method.interval(numerator, denominator, meta.ci_level)
    frame["ci_low"], frame["ci_high"] = low * meta.factor, high * meta.factor
    frame["ci_level"] = meta.ci_level if meta.ci_method != "none" else np.nan
    frame["ci_method"] = method.label
    return frame


def _reference(indicator: Indicator, period: str, yes: bool, no: bool) -> float | None:
    """The mean rejection rate of establishments like this one (with or without CDRi), read
    from the class grid of the period: its first band ends at the rate with CDRi, its last
    begins at the rate without."""
    grid = indicator.meta.class_grid(period)
    if grid is None or not (yes or no):
        return None
    bands = sorted(grid.bands, key=lambda b: -np.inf if b.lower is None else b.lower)
    return bands[0].upper if yes else bands[-1].lower


def _markers(frame: pd.DataFrame, column: str) -> list[int]:
    if column not in frame:
        return [0] * len(frame)
    return [int(v) for v in pd.to_numeric(frame[column], errors="coerce").fillna(0)]


# --- factories -----------------------------------------------------------------------------


def delay_indicator(meta: IndicatorMeta, debtor: str | None) -> Indicator:
    return Indicator(meta, billing_delay(debtor), pandas_billing_delay(debtor))


def rejection_indicator(meta: IndicatorMeta) -> Indicator:
    return Indicator(meta, rejection_rate, pandas_rejection_rate, finish=rejection_values)


def amc_recovery_indicator(meta: IndicatorMeta) -> Indicator:
    return Indicator(meta, amc_recovery, pandas_amc_recovery)


def patient_receivables_indicator(meta: IndicatorMeta) -> Indicator:
    return Indicator(meta, patient_receivables, pandas_patient_receivables)
