"""Demo payment files: supplier invoices paid and monthly social contributions, one file of
each per year in hospiscope's layouts (sources/payments.py; `;`, UTF-8 with BOM, CRLF, French
dates and decimal commas), for the establishments with finance files (demo/finance.py).

Supplier invoices, calibrated on the global payment delay of public health establishments
observed by the Observatoire des délais de paiement (IGF-IGAS 2025 annex XII § 2.4.1,
facts.md §4): 63.4 days in 2024, 2.2 days more than in 2023 (61.2). Model (hypothèses
hospiscope unless said):
- amount paid in the year = the establishment's purchases (demo/finance.py, national total
  published);
- **one line is a batch** of the invoices of one supplier received the same week and paid
  the same day (a demo assumption: an establishment pays tens of thousands of invoices a
  year, 30 M lines nationally belong to bench/): one line per `BATCH_EUROS` of purchases at
  scale 1, × `scale`, at least 12 a year; batch amounts log-normal (σ 1);
- the establishment's mean delay: log-normal (σ 0.30) with longer delays for larger buyers
  (elasticity 0.08) and overseas (× 1.3), an effect kept from year to year (correlation 0.8),
  scaled so that the amount-weighted delay of the public establishments is the published one
  of each year (private non-profit establishments: the same distribution);
- a batch's delay: Gamma (shape 4) around its establishment's mean, rescaled so that the
  establishment's amount-weighted mean is that mean; 2 % of batches are paid before the
  invoice arrives (direct debits: delay 0); the delay runs from the receipt, or from the
  delivery when it comes later (15 % of batches: `date_service_fait` after `date_reception`;
  10 %: delivered before, the receipt counts); payment dates uniform over the year.

Social contributions (no published figure: all hypothèses hospiscope): three collecting
bodies per establishment (public: URSSAF, CNRACL, IRCANTEC; non-profit: URSSAF, AGIRC-ARRCO,
a provident fund), employer contributions = 20 % of the establishment's purchases a year
spread over the months; due on the 5th of the following month, put off to the Monday when it
falls on a weekend (bank holidays ignored), written in the file; 20 % of the establishments
pay with the salaries (25th–28th of the month of pay, i.e. 8 to 13 days early) nine months in
ten, the lever the annex names; each line is late with probability 1 % (5 % of
establishments in cash difficulty: 25 %), by 1 to 20 days; 0.2 % are not paid when the file
is exported. One line per establishment, month and body: `scale` does not apply.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.demo.calibration import assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.demo.finance import finance_establishments
from hospiscope.sources.finess.legal_status import PUBLIC
from hospiscope.sources.payments import (
    CONTRIBUTIONS_HEADER,
    SUPPLIERS_HEADER,
    contributions_file_name,
    suppliers_file_name,
)

SOURCE = "Observatoire des délais de paiement, cité par IGF-IGAS 2025, annexe XII, § 2.4.1"
DELAY = {2023: published(61.2, SOURCE), 2024: published(63.4, SOURCE)}
LATEST = 2024  # years after it keep its delay, years before 2023 take 2023's (assumption)
BATCH_EUROS = assumed(250_000.0, "montant moyen d'une ligne (lot de factures) à l'échelle 1")
MIN_LINES = 12
DELAY_SPREAD = assumed(0.30, "écart-type log-normal du délai moyen d'un établissement")
SIZE_ELASTICITY = assumed(0.08, "allongement du délai avec les achats (élasticité)")
OVERSEAS_FACTOR = assumed(1.3, "délai des établissements d'outre-mer rapporté aux autres")
DELAY_CORRELATION = assumed(0.8, "corrélation du délai d'un établissement d'une année à l'autre")
BATCH_SHAPE = assumed(4.0, "forme de la loi Gamma du délai d'un lot autour de la moyenne")
PREPAID_SHARE = assumed(0.02, "part des lots payés avant réception (prélèvements)")
LATE_DELIVERY_SHARE = assumed(0.15, "part des lots livrés après réception de la facture")
EARLY_DELIVERY_SHARE = assumed(0.10, "part des lots livrés avant réception de la facture")
SUPPLIERS = 3000  # national pool of supplier codes

CONTRIBUTION_RATE = assumed(0.20, "cotisations patronales annuelles rapportées aux achats")
BODIES = {
    PUBLIC: (("URSSAF", 0.50), ("CNRACL", 0.40), ("IRCANTEC", 0.10)),
    "autre": (("URSSAF", 0.65), ("AGIRC-ARRCO", 0.30), ("PREVOYANCE", 0.05)),
}
WITH_SALARIES_SHARE = assumed(0.20, "part des établissements qui paient avec les salaires")
WITH_SALARIES_MONTHS = assumed(0.9, "part des mois où ils paient avec les salaires")
LATE_RATE = assumed(0.01, "probabilité qu'une cotisation soit payée en retard")
STRAINED_SHARE = assumed(0.05, "part des établissements en difficulté de trésorerie")
STRAINED_LATE_RATE = assumed(0.25, "probabilité de retard dans ces établissements")
UNPAID_RATE = assumed(0.002, "part des cotisations non payées à la date de l'export")
DUE_DAY = 5


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    rng = context.rng("payments")
    sites = finance_establishments(context, "paiements")
    files = []
    effect = rng.standard_normal(sites.height)
    rho = DELAY_CORRELATION.value
    for year in sorted(context.campaigns):
        effect = rho * effect + np.sqrt(1 - rho**2) * rng.standard_normal(sites.height)
        frame = supplier_lines(
            rng, sites, year, establishment_delays(sites, effect, year), context.scale
        )
        files.append(("paiements-fournisseurs", _write(frame, context, suppliers_file_name(year))))
    behaviour = contribution_behaviour(rng, sites.height)
    for year in sorted(context.campaigns):
        frame = contribution_lines(rng, sites, year, behaviour)
        files.append(
            ("cotisations-sociales", _write(frame, context, contributions_file_name(year)))
        )
    return files


def _write(frame: pl.DataFrame, context: DemoContext, name: str) -> Path:
    path = context.directory / "efficience" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
    return path


# --- supplier invoices ------------------------------------------------------------------


def establishment_delays(sites: pl.DataFrame, effect: np.ndarray, year: int) -> np.ndarray:
    """Mean delay (days, amount-weighted) of each establishment: the public establishments
    pooled hold the published delay of `year`."""
    purchases = sites["purchases"].to_numpy()
    public = (sites["legal_status"] == PUBLIC).to_numpy()
    size = np.log(purchases / np.median(purchases)) if purchases.size else purchases
    overseas = np.where(sites["overseas"].to_numpy(), OVERSEAS_FACTOR.value, 1.0)
    delays = np.exp(DELAY_SPREAD.value * effect + SIZE_ELASTICITY.value * size) * overseas
    target = DELAY[min(max(year, min(DELAY)), LATEST)].value
    if public.any():
        delays *= target / (np.sum(delays[public] * purchases[public]) / purchases[public].sum())
    return delays


def supplier_lines(
    rng: np.random.Generator, sites: pl.DataFrame, year: int, delays: np.ndarray, scale: float
) -> pl.DataFrame:
    """The batches of invoices paid in `year`, in the supplier invoice layout."""
    owner, counts, amounts, days, prepaid = batches(rng, sites, delays, scale)
    received, delivered, with_delivery, paid = batch_dates(rng, year, days, prepaid)
    number = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    supplier = pl.Series(rng.integers(1, SUPPLIERS + 1, owner.size)).cast(pl.String)
    return pl.DataFrame(
        {
            "finess": sites["finess_et"].to_numpy()[owner],
            "fournisseur": "F" + supplier.str.zfill(5),
            "facture": f"LOT-{year}-" + pl.Series(number).cast(pl.String).str.zfill(6),
            "date_reception": _dates(received),
            "date_service_fait": _dates(delivered).zip_with(
                pl.Series(with_delivery), pl.Series([None] * owner.size, dtype=pl.String)
            ),
            "date_paiement": _dates(paid),
            "montant": _amounts(amounts),
        }
    ).select(SUPPLIERS_HEADER)


def batches(rng: np.random.Generator, sites: pl.DataFrame, delays: np.ndarray, scale: float):
    """(establishment index of each batch, batches per establishment, amounts, delays in
    whole days, prepaid flags): each establishment's amounts sum to its purchases and their
    amount-weighted delay is its mean delay (prepaid batches count 0 days)."""
    purchases = sites["purchases"].to_numpy()
    counts = np.maximum(MIN_LINES, np.round(purchases / BATCH_EUROS.value * scale)).astype(int)
    owner = np.repeat(np.arange(sites.height), counts)
    amounts = np.exp(rng.normal(0, 1.0, owner.size))
    amounts *= (purchases / np.bincount(owner, weights=amounts, minlength=sites.height))[owner]
    prepaid = rng.random(owner.size) < PREPAID_SHARE.value
    days = rng.gamma(BATCH_SHAPE.value, 1 / BATCH_SHAPE.value, owner.size) * ~prepaid
    weighted = np.bincount(owner, weights=amounts * days, minlength=sites.height)
    scaled = delays * purchases / np.where(weighted > 0, weighted, 1)
    return owner, counts, amounts, np.round(days * scaled[owner]).astype(int), prepaid


def batch_dates(rng: np.random.Generator, year: int, days: np.ndarray, prepaid: np.ndarray):
    """(receipt, delivery, whether the delivery is written, payment) as ordinal days: paid
    uniformly over `year`, the delay running from the later of receipt and delivery."""
    k = days.size
    first = dt.date(year, 1, 1).toordinal()
    paid = first + rng.integers(0, dt.date(year, 12, 31).toordinal() - first + 1, k)
    start = paid - days
    draw = rng.random(k)
    late_delivery = ~prepaid & (draw < LATE_DELIVERY_SHARE.value)
    early_delivery = (
        ~prepaid & ~late_delivery & (draw < LATE_DELIVERY_SHARE.value + EARLY_DELIVERY_SHARE.value)
    )
    received = np.where(late_delivery, start - rng.integers(1, 21, k), start)
    received = np.where(prepaid, paid + rng.integers(0, 11, k), received)
    delivered = np.where(early_delivery, start - rng.integers(1, 16, k), start)
    return received, delivered, late_delivery | early_delivery, paid


# --- social contributions ---------------------------------------------------------------


def contribution_behaviour(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Who pays with the salaries and who is short of cash (kept from year to year)."""
    return {
        "with_salaries": rng.random(n) < WITH_SALARIES_SHARE.value,
        "late_rate": np.where(
            rng.random(n) < STRAINED_SHARE.value, STRAINED_LATE_RATE.value, LATE_RATE.value
        ),
    }


def due_dates(year: int) -> np.ndarray:
    """Ordinal due date of each month of pay: the 5th of the following month, a Saturday or
    a Sunday put off to the Monday."""
    dates = []
    for month in range(1, 13):
        due = dt.date(year + month // 12, month % 12 + 1, DUE_DAY)
        dates.append(due.toordinal() + {5: 2, 6: 1}.get(due.weekday(), 0))
    return np.array(dates)


def contribution_lines(
    rng: np.random.Generator, sites: pl.DataFrame, year: int, behaviour: dict[str, np.ndarray]
) -> pl.DataFrame:
    """One line per establishment, body and month (bodies of its status)."""
    n = sites.height
    public = (sites["legal_status"] == PUBLIC).to_numpy()
    names = np.where(
        public[:, None], [b for b, _ in BODIES[PUBLIC]], [b for b, _ in BODIES["autre"]]
    )
    shares = np.where(
        public[:, None], [s for _, s in BODIES[PUBLIC]], [s for _, s in BODIES["autre"]]
    )
    bodies = names.shape[1]
    # Lines ordered by establishment, body, month.
    owner = np.repeat(np.arange(n), bodies * 12)
    body = np.tile(np.repeat(np.arange(bodies), 12), n)
    month = np.tile(np.arange(1, 13), n * bodies)
    k = owner.size
    monthly = sites["purchases"].to_numpy() * CONTRIBUTION_RATE.value / 12
    amount = monthly[owner] * shares[owner, body] * np.exp(rng.normal(0, 0.03, k))
    due = due_dates(year)[month - 1]
    salaries = np.array([dt.date(year, m, 25).toordinal() for m in range(1, 13)])[month - 1]
    early = behaviour["with_salaries"][owner] & (rng.random(k) < WITH_SALARIES_MONTHS.value)
    paid = np.where(early, salaries + rng.integers(0, 4, k), due)
    late = rng.random(k) < behaviour["late_rate"][owner]
    paid = np.where(late, due + rng.integers(1, 21, k), paid)
    unpaid = rng.random(k) < UNPAID_RATE.value
    return pl.DataFrame(
        {
            "finess": sites["finess_et"].to_numpy()[owner],
            "annee": np.full(k, year),
            "mois": month,
            "organisme": names[owner, body],
            "date_echeance": _dates(due),
            "date_paiement": _dates(paid).zip_with(
                pl.Series(~unpaid), pl.Series([None] * k, dtype=pl.String)
            ),
            "montant": _amounts(amount),
        }
    ).select(CONTRIBUTIONS_HEADER)


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _dates(ordinals: np.ndarray) -> pl.Series:
    """Ordinal days as dd/mm/yyyy."""
    days = pl.Series(np.asarray(ordinals, dtype=np.int64) - _EPOCH, dtype=pl.Int32)
    return days.cast(pl.Date).dt.strftime("%d/%m/%Y")


def _amounts(values: np.ndarray) -> pl.Series:
    """Euros with two decimals and a decimal comma, as a spreadsheet exports them."""
    cents = pl.Series(np.round(np.asarray(values) * 100).astype(np.int64))
    return (cents // 100).cast(pl.String) + "," + (cents % 100).cast(pl.String).str.zfill(2)
