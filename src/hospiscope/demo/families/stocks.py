"""Demo stock inventories: one file per year in hospiscope's layout (sources/stocks.py; `;`,
UTF-8 with BOM, CRLF, French dates and decimal commas) for the establishments with finance
files (demo/finance.py: public and private non-profit, MCO activity), calibrated on the days
of stock observed in the 2023 accounts (IGF-IGAS 2025 annex XII § 2.4.2, facts.md §4): about
40 days for medicines and for medical supplies, nearly 100 for other consumables.

Model (every figure not published is a labelled hypothèse hospiscope):
- consumption of a family over the 12 months = the establishment's purchases
  (demo/finance.py) × the family's share of purchases (medicines 20 %, medical devices 12 %,
  other stocked consumables 2.5 %) × a log-normal factor (σ 0.15), ±3 % from year to year;
- days of stock of establishment i: a log-normal spread around the family's level (σ 0.35,
  0.40, 0.50), an establishment effect kept from year to year (correlation 0.8), scaled so
  that the national value of the **public** establishments — Σ stock / Σ consumption × 365,
  as the indicator pools them — is the observed one (40 / 40 / 100 days) in every year
  (2024: no later figure published, the 2023 level is kept);
- stock value = days / 365 × consumption; the inventory is dated 31 December; 10 % of the
  establishments also count their stocks on 30 June (that inventory is not the one the
  indicator keeps, and is drawn apart); 3 % have no separate inventory of other consumables
  (no line); 1 % of the lines lack the consumption (status DI).
One line per establishment, family and inventory: `scale` does not apply.

Calibration reached (bundled registry, seed of the default demo, campaigns 2023–2024,
through the DuckDB engine): see tests/integration/demo/test_demo_stocks.py and the README.
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
from hospiscope.sources.stocks import FAMILIES, HEADER, file_name

COMMAND = "stocks"
SOURCE = "IGF-IGAS 2025, annexe XII, § 2.4.2 (données comptables 2023)"
DAYS = {
    "MEDICAMENTS": published(40.0, SOURCE),
    "DM": published(40.0, SOURCE),
    "AUTRES": published(100.0, SOURCE),
}
SHARE_OF_PURCHASES = {
    "MEDICAMENTS": assumed(0.20, "part des médicaments dans les achats"),
    "DM": assumed(0.12, "part des dispositifs médicaux dans les achats"),
    "AUTRES": assumed(0.025, "part des autres consommables stockés dans les achats"),
}
DAYS_SPREAD = {
    "MEDICAMENTS": assumed(0.35, "écart-type log-normal des jours de stock de médicaments"),
    "DM": assumed(0.40, "écart-type log-normal des jours de stock de DM"),
    "AUTRES": assumed(0.50, "écart-type log-normal des jours de stock des autres consommables"),
}
CONSUMPTION_SPREAD = assumed(0.15, "écart-type log-normal de la consommation d'une famille")
YEAR_WOBBLE = assumed(0.03, "variation de la consommation d'une année à l'autre")
YEAR_CORRELATION = assumed(0.8, "corrélation des jours de stock d'une année à l'autre")
MID_YEAR_SHARE = assumed(0.10, "part des établissements qui inventorient aussi au 30 juin")
NO_OTHER_STORE_SHARE = assumed(0.03, "part sans inventaire séparé des autres consommables")
MISSING_SHARE = assumed(0.01, "part des lignes sans consommation (DI)")


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    rng = context.rng("stocks")
    sites = finance_establishments(context, "stocks")
    n = sites.height
    public = (sites["legal_status"] == PUBLIC).to_numpy()
    purchases = sites["purchases"].to_numpy()
    families = {
        family: purchases
        * SHARE_OF_PURCHASES[family].value
        * np.exp(rng.normal(0, CONSUMPTION_SPREAD.value, n))
        for family in FAMILIES
    }
    effect = {family: rng.standard_normal(n) for family in FAMILIES}
    mid_year = rng.random(n) < MID_YEAR_SHARE.value
    other_store = rng.random(n) >= NO_OTHER_STORE_SHARE.value
    rho = YEAR_CORRELATION.value
    files = []
    for year in sorted(context.campaigns):
        frames = []
        for family in FAMILIES:
            effect[family] = rho * effect[family] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
            consumption = families[family] * np.exp(rng.normal(0, YEAR_WOBBLE.value, n))
            keep = other_store if family == "AUTRES" else np.ones(n, dtype=bool)
            missing = rng.random(n) < MISSING_SHARE.value
            counted = public & keep & ~missing  # what the national public value pools
            days = calibrated_days(effect[family], consumption, counted, family)
            december = dt.date(year, 12, 31)
            frames.append(_lines(sites, family, december, keep, days, consumption, missing))
            frames.append(_june(rng, sites, family, year, keep & mid_year, days, consumption))
        path = context.directory / "efficience" / file_name(year)
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = pl.concat(frames).sort("finess", "date_inventaire", "famille").select(HEADER)
        frame.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
        files.append((COMMAND, path))
    return files


def calibrated_days(
    effect: np.ndarray, consumption: np.ndarray, counted: np.ndarray, family: str
) -> np.ndarray:
    """Days of stock per establishment: the log-normal spread, scaled so that the `counted`
    establishments pooled (Σ stock / Σ consumption × 365) hold the observed level."""
    days = np.exp(DAYS_SPREAD[family].value * effect)
    if counted.any():
        pooled = np.sum(days[counted] * consumption[counted]) / np.sum(consumption[counted])
        days *= DAYS[family].value / pooled
    return days


def _june(rng, sites, family, year, keep, days, consumption) -> pl.DataFrame:
    """A count on 30 June, drawn apart from December's (which the indicator keeps)."""
    n = sites.height
    june_days = days * np.exp(rng.normal(0, 0.2, n))
    june_consumption = consumption * np.exp(rng.normal(0, 0.05, n))
    missing = rng.random(n) < MISSING_SHARE.value
    date = dt.date(year, 6, 30)
    return _lines(sites, family, date, keep, june_days, june_consumption, missing)


def _lines(sites, family, date, keep, days, consumption, missing) -> pl.DataFrame:
    kept = np.flatnonzero(keep)
    stock = np.round(days[kept] / 365 * consumption[kept], 2)
    used = _french(np.round(consumption[kept], 2))
    return pl.DataFrame(
        {
            "finess": sites["finess_et"].to_numpy()[kept],
            "date_inventaire": [date.strftime("%d/%m/%Y")] * kept.size,
            "famille": [family] * kept.size,
            "valeur_stock": _french(stock),
            "consommation_12_mois": [
                None if m else v for m, v in zip(missing[kept], used, strict=True)
            ],
        },
        schema_overrides={"consommation_12_mois": pl.String},
    )


def _french(values: np.ndarray) -> list[str]:
    """Amounts with a decimal comma, as a spreadsheet exports them."""
    return [f"{v:.2f}".replace(".", ",") for v in values]
