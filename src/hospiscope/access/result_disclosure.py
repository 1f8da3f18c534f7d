"""Disclosure control on results: the small-count rule of disclosure.py applied to the counts of
persons a result carries (its numerator, its denominator), wherever a result is seen beyond
the establishment itself — public pages, the API, exports, GHT and ARS views.

Which cells count persons is a property of each indicator, stated below by code (records of
patients, respondents, infected patients, staff members), not guessed from labels; an indicator
of the catalogue missing from PERSON_COUNTS fails a test (tests/unit/access), so that a new
indicator is classified when it is written.

Primary suppression: a person count from 1 to threshold − 1 is hidden ("< 11"). Secondary
suppression: a rate (or an observed/expected ratio) with its value shown gives its numerator
away as value × denominator, so when one of the two cells is hidden the other is hidden too
(the value and its confidence interval stay: they are what the indicator publishes, and the
minimum sample sizes of the catalogue already withhold values on too few cases). Known limit:
the width of a confidence interval still says roughly how large the sample was."""

from __future__ import annotations

from dataclasses import dataclass

from hospiscope.access.disclosure import DEFAULT_RULE, DisclosureRule

NUMERATOR, DENOMINATOR = "numerator", "denominator"
BOTH = frozenset({NUMERATOR, DENOMINATOR})
# Code prefix → the cells that count persons (longest prefix wins).
PERSON_COUNTS: dict[str, frozenset[str]] = {
    "AUDIT_": BOTH,  # audited records: one patient each
    "ESATIS": frozenset({DENOMINATOR}),  # respondents (a score's numerator is a sum of scores)
    "ESATIS48H_RECO": BOTH,  # respondents who would recommend
    "ESATISCA_RECO": BOTH,
    "ESATISSMR_RECO": BOTH,
    "VACCIN_": BOTH,  # staff members
    "ISO_": frozenset({NUMERATOR}),  # infected patients (the denominator is an expectation)
    "ICSHA": frozenset(),  # volumes, and counts of establishments
    "CERT": frozenset(),  # certification criteria and decisions
    "REG_": frozenset(),  # the registry's counts of establishments
    "EFF_": frozenset(),  # efficiency: euros, days, invoices, contributions: no persons
}
NOTE = (
    "Petits effectifs : un nombre de patients, de dossiers ou de personnels de 1 à {last} est "
    "masqué (« {mark} »), ainsi que le nombre qui permettrait de le retrouver par calcul ; la "
    "valeur et son intervalle de confiance restent affichés. Seuil : {label}."
)


def person_cells(code: str) -> frozenset[str] | None:
    """The cells of `code`'s results that count persons; None when the indicator is not
    classified (a test keeps the catalogue classified)."""
    found = [prefix for prefix in PERSON_COUNTS if code.startswith(prefix)]
    return PERSON_COUNTS[max(found, key=len)] if found else None


@dataclass(frozen=True)
class Shown:
    numerator: float | None
    denominator: float | None
    small: tuple[str, ...] = ()  # cells hidden as small counts ("< 11")
    masked: tuple[str, ...] = ()  # cells hidden because they would reveal them ("masqué")

    @property
    def hidden(self) -> bool:
        return bool(self.small or self.masked)


def protect_result(
    code: str,
    numerator: float | None,
    denominator: float | None,
    rule: DisclosureRule = DEFAULT_RULE,
) -> Shown:
    """What may be shown of a result's numerator and denominator beyond its establishment."""
    cells = person_cells(code)
    if cells is None:  # unclassified: protect everything rather than guess
        cells = BOTH
    values = {NUMERATOR: numerator, DENOMINATOR: denominator}
    small = {cell for cell in cells if _small(values[cell], rule)}
    if not small:
        return Shown(numerator, denominator)
    # secondary: value × denominator = numerator, and numerator / value = denominator
    masked = {cell for cell in BOTH - small if values[cell] is not None}
    return Shown(None, None, tuple(sorted(small)), tuple(sorted(masked)))


def result_note(rule: DisclosureRule = DEFAULT_RULE) -> str:
    return NOTE.format(last=rule.threshold - 1, mark=rule.small_mark, label=rule.label)


def _small(value: float | None, rule: DisclosureRule) -> bool:
    return value is not None and value == value and 0 < value < rule.threshold
