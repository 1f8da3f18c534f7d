"""Payments: the global supplier payment delay (eff_delai_paiement.py) and social contributions
paid at their due date (eff_cotisations_echeance.py). Each file's META holds its metadata over
the DEFAULTS below; the computations are here.

Supplier payment delay, per establishment and civil year of payment (`supplier_payments`):
- an invoice's delay runs from the later of its receipt and its delivery (service fait) to
  its payment (code de la commande publique, art. R. 2192-12), in days; a payment before that
  date counts as a delay of 0;
- numerator = Σ amount × delay (euro-days), denominator = Σ amount paid (€): the value is
  the amount-weighted mean delay. The denominator is what the money step needs: the cash a
  delay of d days above the maximum holds back from suppliers is (d − 50) × denominator / 365;
- DI when the amounts paid sum to 0; `stat_invoices` counts the invoice lines.

Social contributions paid at their due date, per establishment and year of the month of pay
(`social_contributions`, one line per month and collecting body):
- due date = the file's, else the 5th of the following month (DUE_DAY);
- at the due date = paid no more than EARLY_TOLERANCE_DAYS before it, and not after it. The
  annex's lever is to pay *at* the due date rather than with the salaries, days earlier
  (IGF-IGAS 2025, annex XII § 2.4.1): paying early is not counted as paying at the due date;
- numerator = contributions paid at their due date, denominator = contributions, with
  `stat_early` / `stat_late` (counts; a contribution not paid when exported is late),
  `stat_amount` (Σ amounts) and `stat_early_amount_days` (Σ amount × days paid before the
  due date, over the contributions paid early: the cash paid out before it was due, for the
  money step); the finish copies them into each result's details (results keep no `stat_*`).

Pooling: sums over the establishments of a level (Σ euro-days / Σ amounts for the delay;
Σ contributions at their due date / Σ contributions for the share).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator, IndicatorMeta
from hospiscope.sources.payments import CONTRIBUTIONS_TABLE, SUPPLIER_TABLE
from hospiscope.stats import ci_method

DUE_DAY = 5  # contributions are due on the 5th of the following month (facts.md §4)
# Days before the due date a payment still counts as made at it (a transfer ordered before a
# weekend or a bank holiday): hypothèse hospiscope, stated in the indicator's assumptions.
EARLY_TOLERANCE_DAYS = 3

# Metadata merged under each file's META (loader.py; plain literals): the supplier payment
# delay…
DELAY_DEFAULTS = {
    "domain": "efficience",
    "kind": "ratio",
    "unit": "jours",
    "statuses": (
        {"code": "DI", "label": "Données insuffisantes : aucun montant payé dans l'année"},
    ),
    "ci_method": "none",
    "levels": (
        "etablissement",
        "national",
        "region",
        "departement",
        "statut",
        "strate:type",
        "strate:taille",
    ),
    "inputs": ("supplier_payments",),
    "period": "année civile de paiement",
    "source_document": (
        "IGF-IGAS, « Face à la gravité de la situation financière des hôpitaux publics, "
        "renforcer l'efficience par une intégration territoriale », annexe XII « Leviers "
        "d'efficacité interne », septembre 2025"
    ),
    "method_version": "1.0",
}
# … and the contributions paid at their due date.
CONTRIBUTION_DEFAULTS = {
    "domain": "efficience",
    "kind": "rate",
    "unit": "%",
    "factor": 100.0,
    "ci_method": "wilson",
    "levels": (
        "etablissement",
        "national",
        "region",
        "departement",
        "statut",
        "strate:type",
        "strate:taille",
    ),
    "inputs": ("social_contributions",),
    "period": "année civile des mois de paie",
    "source_document": (
        "IGF-IGAS, « Face à la gravité de la situation financière des hôpitaux publics, "
        "renforcer l'efficience par une intégration territoriale », annexe XII « Leviers "
        "d'efficacité interne », septembre 2025"
    ),
    "method_version": "1.0",
}


# --- supplier payment delay -------------------------------------------------------------


def compute_delay(tables: dict[str, ir.Table]) -> ir.Table:
    p = tables[SUPPLIER_TABLE]
    start = ibis.greatest(p.received_on, p.service_done_on.fill_null(p.received_on))
    delay = ibis.greatest(p.paid_on.epoch_days() - start.epoch_days(), 0).cast("float64")
    sums = p.group_by(
        entity_id=p.finess_et, period=p.paid_on.year().cast("int64").cast("string")
    ).aggregate(
        weighted=(p.amount * delay).sum(),
        paid=p.amount.sum(),
        stat_invoices=p.count(),
    )
    usable = sums.paid > 0
    return sums.select(
        "entity_id",
        "period",
        numerator=ibis.ifelse(usable, sums.weighted, ibis.null("float64")),
        denominator=ibis.ifelse(usable, sums.paid, ibis.null("float64")),
        stat_invoices=sums.stat_invoices.cast("int64"),
        stat_di=(~usable).cast("int64"),
    )


def reference_delay(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    p = frames[SUPPLIER_TABLE]
    received = pd.to_datetime(p["received_on"])
    done = pd.to_datetime(p["service_done_on"]).fillna(received)
    paid = pd.to_datetime(p["paid_on"])
    delay = (paid - np.maximum(received, done)).dt.days.clip(lower=0).astype(float)
    amount = p["amount"].astype(float)
    rows = pd.DataFrame(
        {
            "entity_id": p["finess_et"].astype(str),
            "period": paid.dt.year.astype(str),
            "weighted": amount * delay,
            "paid": amount,
        }
    )
    sums = rows.groupby(["entity_id", "period"], as_index=False).agg(
        weighted=("weighted", "sum"), paid=("paid", "sum"), stat_invoices=("paid", "size")
    )
    usable = sums["paid"] > 0
    return pd.DataFrame(
        {
            "entity_id": sums["entity_id"],
            "period": sums["period"],
            "numerator": sums["weighted"].where(usable),
            "denominator": sums["paid"].where(usable),
            "stat_invoices": sums["stat_invoices"].astype("int64"),
            "stat_di": (~usable).astype("int64"),
        }
    )


def payment_delay_indicator(meta: IndicatorMeta) -> Indicator:
    return Indicator(meta, compute_delay, reference_delay)


# --- social contributions paid at their due date ----------------------------------------


def compute_contributions(tables: dict[str, ir.Table]) -> ir.Table:
    c = tables[CONTRIBUTIONS_TABLE]
    year, month = c.year.cast("int64"), c.month.cast("int64")
    following = ibis.date(year + (month == 12).cast("int64"), month % 12 + 1, DUE_DAY)
    due = ibis.coalesce(c.due_on, following)
    early_days = (due.epoch_days() - c.paid_on.epoch_days()).fill_null(0)
    late = c.paid_on.isnull() | (c.paid_on.fill_null(due) > due)
    early = early_days > EARLY_TOLERANCE_DAYS
    sums = c.group_by(entity_id=c.finess_et, period=year.cast("string")).aggregate(
        numerator=(~late & ~early).cast("int64").sum(),
        denominator=c.count(),
        stat_early=early.cast("int64").sum(),
        stat_late=late.cast("int64").sum(),
        stat_amount=c.amount.sum(),
        stat_early_amount_days=(c.amount * ibis.ifelse(early, early_days, 0).cast("float64")).sum(),
    )
    return sums.mutate(
        numerator=sums.numerator.cast("int64"),
        denominator=sums.denominator.cast("int64"),
        stat_early=sums.stat_early.cast("int64"),
        stat_late=sums.stat_late.cast("int64"),
    )


def reference_contributions(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    c = frames[CONTRIBUTIONS_TABLE]
    year, month = c["year"].astype("int64"), c["month"].astype("int64")
    following = pd.to_datetime(
        pd.DataFrame({"year": year + (month == 12), "month": month % 12 + 1, "day": DUE_DAY})
    )
    due = pd.to_datetime(c["due_on"]).fillna(following)
    paid = pd.to_datetime(c["paid_on"])
    early_days = (due - paid).dt.days.fillna(0)
    late = paid.isna() | (paid > due)
    early = early_days > EARLY_TOLERANCE_DAYS
    amount = c["amount"].astype(float)
    rows = pd.DataFrame(
        {
            "entity_id": c["finess_et"].astype(str),
            "period": year.astype(str),
            "numerator": (~late & ~early).astype("int64"),
            "denominator": 1,
            "stat_early": early.astype("int64"),
            "stat_late": late.astype("int64"),
            "stat_amount": amount,
            "stat_early_amount_days": amount * early_days.where(early, 0).astype(float),
        }
    )
    return rows.groupby(["entity_id", "period"], as_index=False).sum()


# The sums a stored result keeps in its details (results hold no `stat_*` column), under
# French keys: what the money step and the pages read.
CONTRIBUTION_DETAILS = {
    "stat_early": "cotisations_en_avance",
    "stat_late": "cotisations_en_retard",
    "stat_amount": "montant_cotisations",
    "stat_early_amount_days": "montant_jours_avance",
}


def finish_contributions(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """The rate and its interval as for every rate (results.values), with the early and late
    contributions and the amounts in the details of every row."""
    meta = indicator.meta
    method = ci_method(meta.ci_method)
    out = frame.copy()
    numerator = out["numerator"].to_numpy(dtype=float)
    denominator = out["denominator"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = np.where(denominator > 0, numerator / denominator, np.nan) * meta.factor
    low, high = method.interval(numerator, denominator, meta.ci_level)
    out["ci_low"], out["ci_high"] = low * meta.factor, high * meta.factor
    out["ci_level"] = meta.ci_level
    out["ci_method"] = method.label
    sums = {key: pd.to_numeric(out[stat]) for stat, key in CONTRIBUTION_DETAILS.items()}
    out["details"] = [
        {key: _number(values.iloc[row]) for key, values in sums.items()} for row in range(len(out))
    ]
    return out


def _number(value: float) -> float | int | None:
    if pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else round(float(value), 2)


def contributions_indicator(meta: IndicatorMeta) -> Indicator:
    return Indicator(meta, compute_contributions, reference_contributions, finish_contributions)
