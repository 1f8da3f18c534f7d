"""Demo certification decisions and criteria results for the establishments of the registry,
written in hospiscope's layouts (docs/formats/certification.md).

The 5th cycle, as HAS described it at the end of 2024 (facts.md §2): 1 633 decisions published
since 2021; 87 % certified, 23 % with the mention, 9 % under conditions, 4 % (70) not certified;
4 in 5 establishments under conditions certified at their follow-up visit; best results for
CHU and cancer centres, more difficulty for psychiatric establishments, overseas (except
La Réunion) and Normandie.

How it is built (every unpublished figure is a labelled assumption, see `ASSUMPTIONS`):

1. `round(1 633 × scale)` establishments of the registry get a first visit between June 2021
   and July 2024 and its decision 2 to 5 months later, so by the end of 2024.
2. Each has a latent quality `effect(type, region) + N(0, 1)`; the first decision follows
   three thresholds (ordered probit). The follow-up dates are drawn first, so the thresholds
   are solved for the *state at 31 December 2024* — the latest decision, once the follow-up
   visits published by then are counted — to match the published shares.
3. Under conditions: a follow-up visit 6 to 12 months after the decision (a tenth late),
   certified 4 times in 5. Not certified: a new visit 12 to 24 months later. Only decisions
   dated up to 31 December of the last campaign are written.
4. Criteria: every visit of a first decision assesses the 16 imperative criteria (non
   applicable without the activity); certified establishments meet them all, an establishment
   under conditions fails at least one, a non-certified one at least two, preferably the
   criteria HAS lists as "to improve"; a follow-up visit re-assesses the failed ones only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy.optimize import brentq
from scipy.special import ndtr

from hospiscope.certification import CERTIFIED, Decision, imperative_criteria
from hospiscope.certification.referential import CriterionType, Result
from hospiscope.demo.activities import eligible
from hospiscope.demo.calibration import Target, assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.demo.sites import HOSPITAL
from hospiscope.sources.certification import CRITERIA_RESULTS, DECISIONS

CYCLE = 5
# Published figures (facts.md §2, HAS-2024): the state at the end of 2024.
DECISIONS_END_2024 = published(1633)
STATE_SHARES: dict[Decision, Target] = {
    Decision.MENTION: published(0.23),
    Decision.CONDITIONS: published(0.09),
    Decision.NOT_CERTIFIED: published(70 / 1633),  # "4 % (70 establishments)"
}
FOLLOW_UP_CERTIFIED = published(0.80)  # "4 in 5" at the second visit
BILAN_DAY = dt.date(2024, 12, 31)

# Assumptions (hypothèse hospiscope), each labelled.
FIRST_VISITS = (dt.date(2021, 6, 1), dt.date(2024, 7, 31))
FIRST_VISIT_YEARS = {2021: 0.10, 2022: 0.25, 2023: 0.35, 2024: 0.30}
VISIT_PERIOD = assumed(
    0,
    "montée en charge du cycle : 10 % des premières visites en 2021 (dès juin), 25 % en 2022, "
    "35 % en 2023, 30 % en 2024 (jusqu'en juillet)",
)
DECISION_LAG_DAYS = (60, 150)
DECISION_LAG = assumed(105, "décision rendue 2 à 5 mois après la visite")
LATE_FOLLOW_UP = assumed(0.10, "une visite de suivi sur dix après le délai de 12 mois")
NEW_VISIT_CERTIFIED = assumed(
    0.75, "après une non-certification, 3 nouvelles visites sur 4 certifient"
)
MENTION_AFTER_FOLLOW_UP = assumed(0.05, "mention obtenue par 1 établissement sur 20 au suivi")
# Effects on the latent quality (probit scale): the directions are published, the sizes not.
TYPE_EFFECTS = {
    "101": assumed(0.5, "CHU / CHR : meilleurs résultats (sens publié, ampleur supposée)"),
    "131": assumed(0.6, "CLCC : meilleurs résultats (sens publié, ampleur supposée)"),
    "292": assumed(-0.6, "psychiatrie : plus de difficultés (sens publié, ampleur supposée)"),
    "161": assumed(-0.6, "psychiatrie : plus de difficultés (sens publié, ampleur supposée)"),
}
_OVERSEAS = "outre-mer hors La Réunion : résultats insuffisants (sens publié, ampleur supposée)"
REGION_EFFECTS = {
    "01": assumed(-0.7, _OVERSEAS),  # Guadeloupe
    "02": assumed(-0.7, _OVERSEAS),  # Martinique
    "03": assumed(-0.7, _OVERSEAS),  # Guyane
    "06": assumed(-0.7, _OVERSEAS),  # Mayotte
    "28": assumed(-0.4, "Normandie : résultats insuffisants (sens publié, ampleur supposée)"),
}
# Imperative failures at a visit by decision: minimum, plus a Poisson number.
FAILURES = {
    Decision.CONDITIONS: (
        1,
        assumed(0.6, "sous conditions : 1 + Poisson(0,6) critères impératifs non satisfaits"),
    ),
    Decision.NOT_CERTIFIED: (
        2,
        assumed(1.0, "non certifié : 2 + Poisson(1) critères impératifs non satisfaits"),
    ),
}
# Which criteria fail (relative weights): HAS-2024 names those meeting national requirements
# and those to improve; the weights are assumed.
_TO_IMPROVE = ("MINEURS", "URGENCES_VITALES", "MEDICAMENTS_RISQUE", "ANALYSE_EI", "CHECKLIST_BLOC")
_MEETING = ("CONSENTEMENT", "INTIMITE_DIGNITE", "MALTRAITANCE", "HEMORRAGIE_PP")
FAILURE_WEIGHTS = assumed(
    0, "poids d'échec 3 pour les critères « à améliorer », 0,5 pour ceux « conformes », 1 sinon"
)
APPLICABILITY = assumed(
    0,
    "critère non applicable sans l'activité : bloc (chirurgie ambulatoire ou catégorie "
    "chirurgicale), psychiatrie (lits ou places), maternité (part par catégorie), mineurs "
    "(MCO ou une part de la psychiatrie et du SMR)",
)
MATERNITY_SHARE = {"122": 1.0, "101": 0.8, "355": 0.5, "365": 0.35, "131": 0.0}
ASSUMPTIONS = (
    VISIT_PERIOD,
    DECISION_LAG,
    LATE_FOLLOW_UP,
    NEW_VISIT_CERTIFIED,
    MENTION_AFTER_FOLLOW_UP,
    *TYPE_EFFECTS.values(),
    *REGION_EFFECTS.values(),
    *(target for _, target in FAILURES.values()),
    FAILURE_WEIGHTS,
    APPLICABILITY,
)
_SURGICAL = {"101", "114", "122", "128", "131"}


def write_files(context: DemoContext) -> list[tuple[str, Path]]:
    rng = context.rng("certification")
    cutoff = dt.date(max(context.campaigns), 12, 31)
    decisions, criteria = generate(rng, context.registry, context.capacity, context.scale, cutoff)
    if decisions.is_empty():
        return []
    folder = context.directory / "certification"
    return [
        ("certification-decisions", _write(decisions, folder / "certification-decisions.csv")),
        ("certification-criteres", _write(criteria, folder / "certification-criteres.csv")),
    ]


def generate(
    rng: np.random.Generator,
    registry: pl.DataFrame,
    capacity: pl.DataFrame,
    scale: float,
    cutoff: dt.date,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(decisions, criteria) in the file layouts, decisions dated up to `cutoff`."""
    if capacity.height:  # only establishments the demo's activity rule certifies
        certified = capacity.filter(eligible(capacity, "certification"))["finess_et"]
        registry = registry.filter(pl.col("finess_et").is_in(certified.to_list()))
    count = min(round(DECISIONS_END_2024.value * scale), registry.height)
    chosen = np.sort(rng.choice(registry.height, size=count, replace=False))
    units = (
        registry.with_row_index("_row").filter(pl.col("_row").is_in(chosen.tolist())).drop("_row")
    )
    if capacity.height:
        units = units.join(
            capacity.drop([c for c in capacity.columns if c in units.columns and c != "finess_et"]),
            on="finess_et",
            how="left",
            maintain_order="left",
        )
    visits = _first_visits(rng, count)
    decided = visits + rng.integers(*DECISION_LAG_DAYS, size=count, endpoint=True)
    plan = _Plan(
        follow_up=_delays(rng, count, (6, 12), LATE_FOLLOW_UP.value),
        new_visit=_delays(rng, count, (12, 24), 0.0),
        again=_delays(rng, count, (12, 24), 0.0),
    )
    effect = _effects(units)
    bilan = _day(BILAN_DAY)
    followed = decided + plan.follow_up.sum(axis=1)
    thresholds = calibrate(
        effect,
        followed <= bilan,
        decided + plan.new_visit.sum(axis=1) <= bilan,
        followed + plan.again.sum(axis=1) <= bilan,
    )
    first = _first_decisions(rng, effect, thresholds)
    applicable = _applicability(rng, units)
    weights = _weights(units)
    decision_rows, criteria_rows = [], []
    for i in range(count):
        finess = units["finess_et"][i]
        chain = _chain(rng, first[i], int(visits[i]), int(decided[i]), plan, i)
        failed: set[str] = set()
        for step, (visit, decision_day, decision) in enumerate(chain):
            if decision_day > _day(cutoff):
                break
            decision_rows.append((finess, decision_day, decision, visit))
            assessed = applicable[i] if step == 0 else sorted(failed)
            failed = _failures(rng, decision, assessed, weights[i], failed, step)
            for code in _CODES:
                if step == 0 and code not in applicable[i]:
                    criteria_rows.append((finess, visit, code, Result.NOT_APPLICABLE))
                elif code in assessed:
                    result = Result.NOT_MET if code in failed else Result.MET
                    criteria_rows.append((finess, visit, code, result))
    return _decision_frame(decision_rows), _criteria_frame(criteria_rows)


_CODES = tuple(c.code for c in imperative_criteria(CYCLE))
_EPOCH = dt.date(1970, 1, 1)
_MONTH_DAYS = 365.25 / 12


def _day(day: dt.date) -> int:
    return (day - _EPOCH).days


def _date(number: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(number))


def _first_visits(rng: np.random.Generator, count: int) -> np.ndarray:
    """Days of the first visits: a year by FIRST_VISIT_YEARS, then a uniform day of it within
    FIRST_VISITS."""
    years = np.array(list(FIRST_VISIT_YEARS))
    weights = np.array(list(FIRST_VISIT_YEARS.values()))
    year = rng.choice(years, size=count, p=weights / weights.sum())
    start = np.array([_day(max(dt.date(y, 1, 1), FIRST_VISITS[0])) for y in year], dtype=np.int64)
    end = np.array([_day(min(dt.date(y, 12, 31), FIRST_VISITS[1])) for y in year], dtype=np.int64)
    return start + np.floor(rng.random(count) * (end - start + 1)).astype(np.int64)


def _delays(
    rng: np.random.Generator, count: int, months: tuple[int, int], late: float
) -> np.ndarray:
    """(count, 2) days: from a decision to the next visit, `months` later (uniform; a share
    `late` 1 to 3 months after the window), and from that visit to its decision."""
    low, high = months
    delay = rng.uniform(low, high, size=count)
    delay = np.where(rng.random(count) < late, high + rng.uniform(1, 3, size=count), delay)
    lag = rng.integers(*DECISION_LAG_DAYS, size=count, endpoint=True)
    return np.column_stack([np.round(delay * _MONTH_DAYS).astype(np.int64), lag])


@dataclass(frozen=True)
class _Plan:
    """Pre-drawn delays (visit, decision) of each establishment's next visits, so that the
    calibration knows which follow-ups are decided by the bilan day."""

    follow_up: np.ndarray  # after a decision under conditions
    new_visit: np.ndarray  # after a first non-certification
    again: np.ndarray  # after a second non-certification


def _effects(units: pl.DataFrame) -> np.ndarray:
    category = units["category_code"].fill_null("").to_list()
    region = units["region_code"].fill_null("").to_list()
    return np.array(
        [
            (TYPE_EFFECTS[c].value if c in TYPE_EFFECTS else 0.0)
            + (REGION_EFFECTS[r].value if r in REGION_EFFECTS else 0.0)
            for c, r in zip(category, region, strict=True)
        ]
    )


def state_shares(
    effect: np.ndarray,
    thresholds: np.ndarray,
    followed: np.ndarray,
    revisited: np.ndarray,
    refollowed: np.ndarray,
) -> dict[Decision, float]:
    """Expected shares of the decision in force on the bilan day, given the first-decision
    thresholds (ordered probit: non certified < t1 ≤ conditions < t2 ≤ certified < t3 ≤
    mention) and whether each next visit is decided by then: the follow-up after conditions
    (`followed`), the new visit after a first non-certification (`revisited`) and after a
    failed follow-up (`refollowed`). Longer chains are neglected."""
    t1, t2, t3 = thresholds
    p_not = ndtr(t1 - effect)
    p_cond = ndtr(t2 - effect) - p_not
    p_mention = 1 - ndtr(t3 - effect)
    success, revisit = FOLLOW_UP_CERTIFIED.value, NEW_VISIT_CERTIFIED.value
    mention = MENTION_AFTER_FOLLOW_UP.value
    failed = p_cond * followed * (1 - success)
    shares = {
        Decision.NOT_CERTIFIED: p_not * (1 - revisited * revisit)
        + failed * (1 - refollowed * revisit),
        Decision.CONDITIONS: p_cond * (1 - followed),
        Decision.MENTION: p_mention
        + mention
        * (p_cond * followed * success + (p_not * revisited + failed * refollowed) * revisit),
    }
    return {decision: float(np.mean(value)) for decision, value in shares.items()}


def calibrate(
    effect: np.ndarray, followed: np.ndarray, revisited: np.ndarray, refollowed: np.ndarray
) -> np.ndarray:
    """Thresholds for which the expected state on the bilan day has the published shares:
    t2 given t1 matches the share under conditions, then t1 the share not certified, then t3
    the share with the mention (each share is monotone in its threshold)."""
    if effect.size == 0:
        return np.array([-1.0, 0.0, 1.0])
    target = {d: t.value for d, t in STATE_SHARES.items()}

    def share(decision: Decision, t1: float, t2: float, t3: float = 9.0) -> float:
        thresholds = np.array([t1, t2, t3])
        return state_shares(effect, thresholds, followed, revisited, refollowed)[decision]

    def second(t1: float) -> float:
        def gap(t2: float) -> float:
            return share(Decision.CONDITIONS, t1, t2) - target[Decision.CONDITIONS]

        return _solve(gap, t1, 9.0)

    t1 = _solve(
        lambda t: share(Decision.NOT_CERTIFIED, t, second(t)) - target[Decision.NOT_CERTIFIED],
        -9.0,
        0.0,
    )
    t2 = second(t1)
    t3 = _solve(lambda t: share(Decision.MENTION, t1, t2, t) - target[Decision.MENTION], t2, 9.0)
    return np.array([t1, t2, t3])


def _solve(gap, low: float, high: float) -> float:
    """The root of the monotone `gap` in [low, high], or the bound nearest to it when the
    target cannot be reached (e.g. failed follow-ups alone exceed the non-certified share)."""
    at_low, at_high = gap(low), gap(high)
    if at_low * at_high > 0:
        return low if abs(at_low) < abs(at_high) else high
    return brentq(gap, low, high)


def _first_decisions(
    rng: np.random.Generator, effect: np.ndarray, thresholds: np.ndarray
) -> list[Decision]:
    latent = effect + rng.standard_normal(effect.size)
    index = np.searchsorted(thresholds, latent, side="right")
    order = [Decision.NOT_CERTIFIED, Decision.CONDITIONS, Decision.CERTIFIED, Decision.MENTION]
    return [order[k] for k in index]


def _chain(
    rng: np.random.Generator, first: Decision, visit: int, decided: int, plan: _Plan, i: int
) -> list[tuple[int, int, Decision]]:
    """(visit day, decision day, decision) of the establishment's successive decisions, until
    it is certified or a decision falls after 2030 (the caller stops at its cutoff)."""
    chain = [(visit, decided, first)]
    not_certified = 0
    while chain[-1][2] not in CERTIFIED and chain[-1][1] < _day(dt.date(2030, 1, 1)):
        _, last_day, last = chain[-1]
        if last is Decision.CONDITIONS:
            delay = plan.follow_up[i]
            certified = rng.random() < FOLLOW_UP_CERTIFIED.value
        else:
            not_certified += 1
            planned = {1: plan.new_visit, 2: plan.again}.get(not_certified)
            delay = planned[i] if planned is not None else _delays(rng, 1, (12, 24), 0.0)[0]
            certified = rng.random() < NEW_VISIT_CERTIFIED.value
        if certified:
            mention = rng.random() < MENTION_AFTER_FOLLOW_UP.value
            outcome = Decision.MENTION if mention else Decision.CERTIFIED
        else:
            outcome = Decision.NOT_CERTIFIED
        next_visit = last_day + int(delay[0])
        chain.append((next_visit, next_visit + int(delay[1]), outcome))
    return chain


def _applicability(rng: np.random.Generator, units: pl.DataFrame) -> list[list[str]]:
    """The imperative criteria assessed at each establishment (the others: non applicable)."""

    def column(name: str, default):
        if name not in units.columns:
            return [default] * units.height
        return units[name].fill_null(default).to_list()

    # A satellite site (day hospital…) does not have the activities of its parent's category.
    category = [
        c if kind == HOSPITAL else ""
        for c, kind in zip(column("category_code", ""), column("site_kind", HOSPITAL), strict=True)
    ]
    surgery = column("surgery", False)
    beds_mco = column("beds_mco", 0)
    psychiatry = [
        (b or 0) + (p or 0) > 0
        for b, p in zip(column("beds_psy", 0), column("places_psy", 0), strict=True)
    ]
    out = []
    for i in range(units.height):
        psy = psychiatry[i] or category[i] in ("292", "161")
        mco = beds_mco[i] > 0 or category[i] in _SURGICAL
        codes = set(_CODES)
        if not (surgery[i] or category[i] in _SURGICAL):
            codes -= {"CHECKLIST_BLOC", "ANTIBIOPROPHYLAXIE"}
        if not psy:
            codes.discard("SOMATIQUE_PSY")
        if not (mco and rng.random() < MATERNITY_SHARE.get(category[i], 0.0)):
            codes.discard("HEMORRAGIE_PP")
        minors = mco or rng.random() < (0.5 if psy else 0.3)
        if not minors:
            codes.discard("MINEURS")
        out.append([c for c in _CODES if c in codes])
    return out


def _weights(units: pl.DataFrame) -> list[dict[str, float]]:
    category = units["category_code"].fill_null("").to_list() if units.height else []
    base = {c: 3.0 if c in _TO_IMPROVE else 0.5 if c in _MEETING else 1.0 for c in _CODES}
    psychiatric = dict(base, SOMATIQUE_PSY=3.0)
    return [psychiatric if c in ("292", "161") else base for c in category]


def _failures(
    rng: np.random.Generator,
    decision: Decision,
    assessed: list[str],
    weights: dict[str, float],
    failed_before: set[str],
    step: int,
) -> set[str]:
    """The criteria not met at a visit, consistent with its decision."""
    if decision in CERTIFIED or not assessed:
        return set()
    if step > 0:  # follow-up: some of the failed criteria still fail (at least one)
        still = [c for c in assessed if rng.random() < 0.5]
        return set(still or [assessed[int(rng.integers(len(assessed)))]])
    minimum, extra = FAILURES[decision]
    count = min(len(assessed), minimum + int(rng.poisson(extra.value)))
    p = np.array([weights[c] for c in assessed])
    picked = rng.choice(len(assessed), size=count, replace=False, p=p / p.sum())
    return {assessed[k] for k in picked}


def _decision_frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "finess": [r[0] for r in rows],
            "date_decision": [_date(r[1]).strftime("%d/%m/%Y") for r in rows],
            "decision": [r[2].value for r in rows],
            "cycle": [CYCLE] * len(rows),
            "date_visite": [_date(r[3]).strftime("%d/%m/%Y") for r in rows],
        },
        schema={c: pl.Int64 if c == "cycle" else pl.String for c in DECISIONS.header},
    ).select(DECISIONS.header)


def _criteria_frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "finess": [r[0] for r in rows],
            "date_visite": [_date(r[1]).strftime("%d/%m/%Y") for r in rows],
            "cycle": [CYCLE] * len(rows),
            "critere": [r[2] for r in rows],
            "type_critere": [CriterionType.IMPERATIVE.value] * len(rows),
            "resultat": [r[3].value for r in rows],
        },
        schema={c: pl.Int64 if c == "cycle" else pl.String for c in CRITERIA_RESULTS.header},
    ).select(CRITERIA_RESULTS.header)


def _write(frame: pl.DataFrame, path: Path) -> Path:
    """`;`, UTF-8 with BOM, CRLF, like the other demo files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
    return path
