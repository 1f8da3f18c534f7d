"""Demo invoices and CDRi flags in hospiscope's layouts (sources/facturation.py,
docs/formats/facturation.md; `;`, UTF-8 with BOM, CRLF, French dates and decimal commas): one
national file of invoices per year of care (the campaigns), extracted on 31 December n+1, and
one CDRi file per year.

Who: the public and private non-profit establishments of the registry with MCO beds or places
(the demo activity rule `facturation`, demo/activities.py; about 1 260 on the bundled
registry, close to the ≈ 1 350 MCO establishments of Hospi Diag). Private for-profit clinics
are left out: the efficiency levers and their figures (IGF-2025, annex XII) concern public
hospitals, which ESPIC resemble in funding.

Lines are batches (hypothèse hospiscope, to keep the files small): per establishment, debtor
and period of care, one line of the period's invoices, dated by the period's middle day;
periods are weeks at scale 1, and about `52 × scale` periods a year below it (at least 4: at
scale 0.02 quarters, which makes establishment values coarse but keeps the 2 % demo small).
Amounts do not depend on the scale. Inter-establishment invoices follow the establishment's
billing rhythm instead (monthly, quarterly, half-yearly or yearly, dated by the period's end).

Model — published figures (facts.md §4, IGF-2025 annex XII) and labelled assumptions:
- revenues of the public establishments ≈ €100 bn (published, 2024; 2023: 3 % less,
  hypothèse), shared in proportion to capacity (MCO beds and places 1, SMR and psychiatric
  beds 0.4, psychiatric places and long-stay beds 0.2, × a log-normal factor σ 0.25:
  hypothèse); private non-profit establishments get the same revenue per capacity;
- invoiced part of the revenues, by debtor (hypothèse, from the published split by title:
  81 % health insurance, 6.4 % patients and complementary insurers, 12.6 % other): AMO 8.1 %
  (invoices only: the activity paid on PMSI returns and the allocations are not invoiced),
  AMC 5.2 %, PATIENT 1.2 % (the ANAP's €550 M not recovered being "nearly half" of the
  patients' share), ETABLISSEMENT 1.2 %, AUTRE 3 %, each × a log-normal factor σ 0.2;
- billing delays: the national ANAP delay of each debtor is solved to AMO 50, AMC 65,
  PATIENT 90, AUTRE 50, ETABLISSEMENT 150 days (hypothèse, within the published 50–150 days
  by revenue category, chosen so that billing back to 30 days on these national means is
  about the annex's €1.2 bn, and €389 M for inter-establishment billing); an establishment's
  mean delay is log-normal (σ 0.4, correlated 0.7 across its debtors, 0.15 of yearly noise),
  a batch's delay Gamma(2) around it; 60 % of establishments issue in March n+1 what is still
  pending of year n (catching up in the complementary period, hypothèse); inter-establishment
  rhythms monthly 30 %, quarterly 30 %, half-yearly 25 %, yearly 15 % (hypothèse, after the
  annex: "quarterly, more often half-yearly or yearly");
- recovery: AMC recovered by 30 June n+1 solved to 91 % nationally (published, DGFiP-DGOS);
  3 % of AMC batches partly unpaid (hypothèse); patients' share not recovered by 31 December
  n+1 solved to €550 M / (1.2 % × €100 bn) ≈ 45.8 % (published amount, assumed base);
  AMO, other establishments and other debtors pay all, 20, 60 and 45 days after issue on
  average (hypothèse); a payment after the extraction is not in the file;
- rejections by the AMO: 1.29 % of invoices with CDRi, 3.59 % without (published), × a
  log-normal factor σ 0.3 per establishment (hypothèse); a rejected batch is a line of its
  own (`rejetee` oui, a reason), its invoices re-issued in the period's line; CDRi used by
  761 / 1 350 ≈ 56 % of establishments in 2024 (761 published, the base assumed) and 45 % in
  2023 (hypothèse), adopters never going back;
- invoices per batch: amount / mean invoice (AMO €300, AMC €120, patient €60, other
  establishment €25 000, other €2 000: hypothèse).

Calibration achieved (bundled registry, demo capacities, scale 1, campaigns 2023–2024,
through the DuckDB engine; tests/integration/demo/test_demo_facturation.py): national ANAP
delays AMO 50.0, AMC 65.0, PATIENT 90.0, ETABLISSEMENT 150.0 days, 63.1 days all debtors
(establishments: median 59, P10–P90 39–90); AMC recovered at 30 June n+1 91.0 %; invoices
rejected 1.29 % with CDRi and 3.60 % without (2.4 % overall in 2024, 56 % of establishments
with CDRi); patients' share not recovered 45.8 %, €549 M in public establishments in 2024
(ANAP: ≈ €550 M); invoiced amounts €18.8 bn for the public establishments (18.7 % of
€100 bn) and €2.8 bn for the private non-profit ones. 650 000 lines for two years, generated in
about 1.5 s (0.2 s and 64 000 lines at scale 0.02).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from hospiscope.demo import billing
from hospiscope.demo.activities import eligible
from hospiscope.demo.calibration import assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.sources.facturation import (
    AMC,
    AMO,
    CDRI,
    ESTABLISHMENT,
    INVOICES,
    OTHER,
    PATIENT,
    cdri_file_name,
    invoices_file_name,
)

SOURCE = "IGF-2025, annexe XII (facts.md §4)"
PUBLIC_REVENUE = published(100e9, f"{SOURCE} : recettes des établissements publics")
REVENUE_GROWTH = assumed(0.03, "croissance nominale des recettes par an (2023 : 97 % de 2024)")
CAPACITY_WEIGHTS = {"beds_mco": 1.0, "places_mco": 1.0, "beds_smr": 0.4, "beds_psy": 0.4}
CAPACITY_WEIGHTS |= {"places_psy": 0.2, "beds_sld": 0.2}
SHARES = {  # invoiced part of the revenues, by debtor (hypothèse hospiscope)
    AMO: assumed(0.081, "part des recettes facturée à l'AMO"),
    AMC: assumed(0.052, "part des recettes facturée aux AMC"),
    PATIENT: assumed(0.012, "part des recettes facturée aux patients"),
    ESTABLISHMENT: assumed(0.012, "part des recettes facturée à d'autres établissements"),
    OTHER: assumed(0.030, "part des recettes facturée à d'autres débiteurs"),
}
DELAYS = {  # national ANAP delay solved per debtor (days), within the published 50–150
    AMO: assumed(50, "délai ANAP de l'AMO"),
    AMC: assumed(65, "délai ANAP des AMC"),
    PATIENT: assumed(90, "délai ANAP des patients"),
    ESTABLISHMENT: assumed(150, "délai ANAP inter-établissements"),
    OTHER: assumed(50, "délai ANAP des autres débiteurs"),
}
MEAN_INVOICE = {AMO: 300.0, AMC: 120.0, PATIENT: 60.0, ESTABLISHMENT: 25_000.0, OTHER: 2_000.0}
PAYMENT_DAYS = {AMO: 20.0, ESTABLISHMENT: 60.0, OTHER: 45.0}  # hypothèse hospiscope
PREFIXES = {AMO: "AMO", AMC: "AMC", PATIENT: "PAT", ESTABLISHMENT: "ETB", OTHER: "AUT"}
DELAY_SPREAD = assumed(0.4, "écart-type log-normal du délai moyen d'un établissement")
CATCH_UP = assumed(0.6, "part des établissements émettant en mars n+1 les factures en attente")
RHYTHMS = {12: 0.30, 4: 0.30, 2: 0.25, 1: 0.15}  # inter-establishment periods a year
RHYTHM_LETTERS = {12: "M", 4: "T", 2: "S", 1: "A"}  # mois, trimestre, semestre, année
AMC_RECOVERY_6M = published(0.91, f"{SOURCE} : DGFiP-DGOS, hors AP-HP")
AMC_UNPAID = assumed(0.03, "part des lots AMC en partie impayés")
PATIENT_UNRECOVERED = assumed(
    550e6 / (0.012 * 100e9), "550 M€ non recouvrés (ANAP) sur 1,2 % des recettes"
)
REJECTION = {True: published(0.0129, SOURCE), False: published(0.0359, SOURCE)}
REJECTION_SPREAD = assumed(0.3, "écart-type log-normal du taux de rejet d'un établissement")
CDRI_SHARE = {
    2024: assumed(761 / 1350, "761 établissements avec CDRi fin 2024 sur ≈ 1 350"),
    2023: assumed(0.45, "part des établissements avec CDRi en 2023"),
}
REASONS = (
    "Droits AMO non ouverts à la date des soins",
    "Assuré inconnu de la caisse",
    "Facture en double",
    "Prise en charge non valide",
    "Erreur de tarification",
)


@dataclass(frozen=True)
class Establishments:
    """Who gets files, and what stays from one year to the next."""

    finess: np.ndarray
    revenue: np.ndarray  # 2024 revenue (euros)
    mix: dict[str, np.ndarray]  # factor on each debtor's share
    delay: dict[str, np.ndarray]  # log factor of each debtor's mean delay
    catch_up: np.ndarray
    adoption: np.ndarray  # uses CDRi in a year whose share is above it
    rejection: np.ndarray  # factor on the rejection rate
    unrecovered: np.ndarray  # factor on the patients' unrecovered share
    rhythm: np.ndarray  # inter-establishment invoices a year


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    rng = context.rng("facturation")
    who = establishments(context, rng)
    if who.finess.size == 0:
        return []
    count = 52 if context.scale >= 1 else max(4, round(52 * context.scale))
    folder = context.directory / "facturation"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for year in sorted(context.campaigns):
        frame = pl.concat([year_lines(rng, who, year, debtor, count) for debtor in PREFIXES])
        path = folder / invoices_file_name(year)
        _write(frame.select(INVOICES.header), path)
        cdri = pl.DataFrame(
            {
                "finess": who.finess,
                "annee": year,
                "cdri": np.where(uses_cdri(who, year), "oui", "non"),
            }
        )
        _write(cdri.select(CDRI.header), folder / cdri_file_name(year))
        files += [("factures", path), ("cdri", folder / cdri_file_name(year))]
    return files


def establishments(context: DemoContext, rng: np.random.Generator) -> Establishments:
    capacity = context.capacity.filter(eligible(context.capacity, "facturation"))
    statuses = context.registry.select(
        "finess_et",
        pl.col("legal_status")
        if "legal_status" in context.registry.columns
        else pl.lit(None, dtype=pl.String).alias("legal_status"),  # no status: nobody
    )
    capacity = capacity.join(statuses, on="finess_et").filter(
        pl.col("legal_status").is_in(["public", "prive_non_lucratif"])
    )
    n = capacity.height
    weight = sum(
        capacity[c].fill_null(0).to_numpy().astype(float) * w for c, w in CAPACITY_WEIGHTS.items()
    ) * np.exp(rng.normal(0, 0.25, n))
    public = capacity["legal_status"].to_numpy() == "public"
    revenue = PUBLIC_REVENUE.value * weight / max(weight[public].sum(), 1.0)
    common = rng.standard_normal(n)
    return Establishments(
        finess=capacity["finess_et"].to_numpy(),
        revenue=revenue,
        mix={d: np.exp(rng.normal(0, 0.2, n) - 0.2**2 / 2) for d in PREFIXES},  # mean 1
        delay={
            d: DELAY_SPREAD.value * (0.7 * common + np.sqrt(1 - 0.49) * rng.standard_normal(n))
            for d in PREFIXES
        },
        catch_up=rng.random(n) < CATCH_UP.value,
        adoption=rng.random(n),
        rejection=np.exp(rng.normal(0, REJECTION_SPREAD.value, n) - REJECTION_SPREAD.value**2 / 2),
        unrecovered=np.exp(rng.normal(0, 0.3, n)),
        rhythm=rng.choice(list(RHYTHMS), n, p=list(RHYTHMS.values())),
    )


def uses_cdri(who: Establishments, year: int) -> np.ndarray:
    share = CDRI_SHARE.get(year) or CDRI_SHARE[min(CDRI_SHARE, key=lambda y: abs(y - year))]
    return who.adoption < share.value


def year_lines(
    rng: np.random.Generator, who: Establishments, year: int, debtor: str, count: int
) -> pl.DataFrame:
    """Every line of one debtor for year of care `year`."""
    revenue = who.revenue * (1 - REVENUE_GROWTH.value) ** (2024 - year)
    annual = revenue * SHARES[debtor].value * who.mix[debtor]
    if debtor == ESTABLISHMENT:
        place, index, care, share = _rhythm_batches(who, year)
    else:
        p = billing.periods(year, count)
        place = np.repeat(np.arange(who.finess.size), count)
        index = np.tile(np.char.zfill(np.arange(1, count + 1).astype(str), 3), who.finess.size)
        care, share = np.tile(p.middle, who.finess.size), np.tile(p.share, who.finess.size)
    amount = np.round(annual[place] * share * np.exp(rng.normal(0, 0.1, place.size)), 2)
    mean = np.exp(who.delay[debtor][place] + rng.normal(0, 0.15, who.finess.size)[place])
    gamma, pull = rng.gamma(2.0, 0.5, place.size), rng.integers(0, 15, place.size)

    def issued(scale: float) -> np.ndarray:
        return billing.issue_dates(care, scale * mean * gamma, who.catch_up[place], year, pull)

    scale = billing.solve(
        lambda s: billing.anap_days(amount, issued(s), year), DELAYS[debtor].value, 0.05, 3000
    )
    issue = issued(scale)
    invoices = np.maximum(1, np.round(amount / MEAN_INVOICE[debtor])).astype(np.int64)
    recovered, recovery = _recovery(rng, who, debtor, place, amount, issue, year)
    lines = pl.DataFrame(
        {
            "finess": who.finess[place],
            "numero_facture": np.char.add(f"{PREFIXES[debtor]}-{year}-", index),
            "debiteur": debtor,
            "date_soins": care,
            "date_emission": issue,
            "nombre_factures": invoices,
            "montant": amount,
            "date_recouvrement": recovery,
            "montant_recouvre": pl.Series(recovered, nan_to_null=True),
            "rejetee": "non",
            "motif_rejet": pl.Series([None] * place.size, dtype=pl.String),
        }
    )
    if debtor != AMO:
        return lines
    return pl.concat([lines, _rejected(rng, who, year, lines, place)])


def _rhythm_batches(who: Establishments, year: int):
    """Inter-establishment batches: one per period of the establishment's rhythm, dated by
    the period's end."""
    places, indexes, cares, shares = [], [], [], []
    for rhythm in RHYTHMS:
        chosen = np.flatnonzero(who.rhythm == rhythm)
        p = billing.periods(year, rhythm)
        places.append(np.repeat(chosen, rhythm))
        labels = np.char.zfill(np.arange(1, rhythm + 1).astype(str), 2)
        indexes.append(np.tile(np.char.add(RHYTHM_LETTERS[rhythm], labels), chosen.size))
        cares.append(np.tile(p.end, chosen.size))
        shares.append(np.tile(p.share, chosen.size))
    return tuple(np.concatenate(parts) for parts in (places, indexes, cares, shares))


def _recovery(rng, who, debtor, place, amount, issue, year):
    """(amount recovered, date) of each batch; NaT / NaN when nothing is recovered by the
    extraction."""
    gamma = rng.gamma(2.0, 0.5, place.size)
    end = billing.extraction(year)
    if debtor in PAYMENT_DAYS:
        date = issue + np.round(PAYMENT_DAYS[debtor] * gamma).astype(int) * billing.DAY
        return _until(amount, date, end)
    if debtor == AMC:
        kept = np.where(
            rng.random(place.size) < AMC_UNPAID.value, rng.uniform(0.2, 1, place.size), 1
        )
        horizon = np.datetime64(f"{year + 1}-06-30")

        def date_of(scale: float) -> np.ndarray:
            return issue + np.round(scale * gamma).astype(int) * billing.DAY

        def share(scale: float) -> float:  # falls as payments slow down: solve its opposite
            return -billing.recovered_by(amount, amount * kept, date_of(scale), horizon)

        scale = billing.solve(share, -AMC_RECOVERY_6M.value, 1.0, 2000)
        return _until(np.round(amount * kept, 2), date_of(scale), end)
    noise = rng.gamma(4.0, 0.25, place.size) * who.unrecovered[place]
    date = issue + np.round(80 * gamma).astype(int) * billing.DAY

    def unrecovered(scale: float) -> float:
        paid = amount * np.clip(1 - scale * noise, 0, 1)
        return 1 - billing.recovered_by(amount, paid, date, end)

    scale = billing.solve(unrecovered, PATIENT_UNRECOVERED.value, 1e-3, 10)
    return _until(np.round(amount * np.clip(1 - scale * noise, 0, 1), 2), date, end)


def _until(recovered: np.ndarray, date: np.ndarray, end: np.datetime64):
    """What the extraction on `end` shows: nothing for a payment after it (or of 0)."""
    shown = (date <= end) & (recovered > 0)
    return np.where(shown, recovered, np.nan), np.where(shown, date, np.datetime64("NaT"))


def _rejected(rng, who, year, lines: pl.DataFrame, place: np.ndarray) -> pl.DataFrame:
    """The rejected invoices of each AMO batch, a line of their own (their re-issue is in the
    batch's line): k ~ Binomial(n, t / (1 − t)) so that k / (n + k), the rate over every
    invoice sent, has mean t."""
    cdri = uses_cdri(who, year)
    sent = lines["nombre_factures"].to_numpy()
    per_establishment = np.bincount(place, weights=sent, minlength=cdri.size)
    rate = np.zeros(cdri.size)
    for flag in (True, False):  # the invoice-weighted mean of each group is its published rate
        group = cdri == flag
        factor = who.rejection[group]
        weights = per_establishment[group]
        mean = np.sum(weights * factor) / max(np.sum(weights), 1.0)
        rate[group] = np.clip(REJECTION[flag].value * factor / mean, 0, 0.3)
    rate = rate[place]
    rejected = rng.binomial(sent, rate / (1 - rate))
    keep = rejected > 0
    share = rejected[keep] / sent[keep]
    return lines.filter(pl.Series(keep)).with_columns(
        numero_facture=pl.col("numero_facture") + "-REJ",
        nombre_factures=pl.Series(rejected[keep]),
        montant=(pl.col("montant") * pl.Series(share)).round(2),
        date_recouvrement=pl.lit(None, dtype=pl.Date),
        montant_recouvre=pl.lit(None, dtype=pl.Float64),
        rejetee=pl.lit("oui"),
        motif_rejet=pl.Series(rng.choice(REASONS, int(keep.sum()))),
    )


def _write(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(
        path,
        separator=";",
        include_bom=True,
        line_terminator="\r\n",
        date_format="%d/%m/%Y",
        decimal_comma=True,
        float_precision=2,
    )
