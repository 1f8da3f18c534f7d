"""The GHT composition (sources/ght.py) checked against the imported FINESS registry:
whether each member is a legal entity (EJ) or a geographic establishment (ET), which ET is
the support when the file names an EJ, and which numbers the registry lacks. The warehouse
reads the registry (warehouse/ght.py); the checks are here, with the other checks of values.

A number the registry lacks is kept (a composition is never cut to fit the registry, as for
every other source: warehouse/unregistered.py) and reported as a warning, then counted in the
import's "absents du registre". A type that contradicts the registry is an error."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from hospiscope.sources.ght import Member
from hospiscope.sources.issues import WARNING, Issue

# The words under which outputs count such numbers (warehouse.unregistered.UNREGISTERED_LABEL).
ABSENT = "absent du registre FINESS importé : gardé et compté comme tel"


@dataclass
class Registry:
    """What the check needs of the registry: the ETs, their EJ, and the ETs of each EJ in
    order of preference as support."""

    ets: set[str]
    ej_ets: dict[str, list[str]]
    et_ej: dict[str, str | None]

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str | None]]) -> Registry:
        """From (finess_et, finess_ej) rows, in the order of preference of an EJ's ETs as
        support (most beds first)."""
        ej_ets: dict[str, list[str]] = defaultdict(list)
        for et, ej in rows:
            if ej:
                ej_ets[ej].append(et)
        return cls({et for et, _ in rows}, dict(ej_ets), dict(rows))

    def knows(self, number: str) -> bool:
        return number in self.ets or number in self.ej_ets


@dataclass
class Checked:
    rows: list[dict] = field(default_factory=list)  # ght_members rows (without origin, run)
    issues: list[Issue] = field(default_factory=list)
    absent: set[str] = field(default_factory=set)  # numbers the registry lacks


def check_against_registry(registry: Registry, file: str, members: list[Member]) -> Checked:
    """The ght_members rows of `members`, and the problems the registry shows."""
    checked = Checked()
    supports: dict[str, str] = {}  # GHT code → support ET
    for member in members:
        if member.ght_code not in supports:
            supports[member.ght_code] = _support(registry, file, member, checked)
        kind, problem = _member_type(registry, member)
        if problem:
            checked.issues.append(Issue(file, member.line, "type_finess_membre", problem))
            continue
        if kind is None or not registry.knows(member.member):
            checked.absent.add(member.member)
            assumed = "" if kind else " (type supposé ET)"
            checked.issues.append(
                _warning(file, member.line, "finess_membre", f"{ABSENT}{assumed}")
            )
            kind = kind or "ET"
        checked.rows.append(
            {
                "ght_code": member.ght_code,
                "ght_name": member.ght_name,
                "support_finess_et": supports[member.ght_code],
                "finess_ej": member.member if kind == "EJ" else None,
                "finess_et": member.member if kind == "ET" else None,
                "line": member.line,
            }
        )
    _supports_are_members(registry, file, checked)
    return checked


def _member_type(registry: Registry, member: Member) -> tuple[str | None, str | None]:
    """The member's type ("EJ" or "ET"): the registry's, else the file's, else None; and the
    problem when the file's contradicts the registry's."""
    number, given = member.member, member.member_type
    known = "ET" if number in registry.ets else "EJ" if number in registry.ej_ets else None
    if known and given and known != given:
        label = "un établissement (ET)" if known == "ET" else "une entité juridique (EJ)"
        return None, f"type {given} indiqué, mais {number} est {label} du registre FINESS"
    return known or given, None


def _support(registry: Registry, file: str, member: Member, checked: Checked) -> str:
    """The support ET of a GHT, from its first line."""
    number = member.support
    if number in registry.ets:
        return number
    ets = registry.ej_ets.get(number)
    if ets:
        chosen = (
            f"son établissement {ets[0]} est retenu"
            if len(ets) == 1
            else f"établissement retenu {ets[0]}, le premier de ses {len(ets)} établissements "
            "par nombre de lits (dernière année de capacités), puis par numéro"
        )
        checked.issues.append(
            _warning(
                file,
                member.line,
                "finess_support",
                f"support donné par son entité juridique {number} : {chosen}",
            )
        )
        return ets[0]
    checked.absent.add(number)
    checked.issues.append(_warning(file, member.line, "finess_support", ABSENT))
    return number


def _supports_are_members(registry: Registry, file: str, checked: Checked) -> None:
    """Warn (on the GHT's first line) when a support the registry knows is none of the
    members of its GHT, neither as an ET nor through its EJ."""
    by_ght: dict[str, list[dict]] = defaultdict(list)
    for row in checked.rows:
        by_ght[row["ght_code"]].append(row)
    for code, rows in by_ght.items():
        support = rows[0]["support_finess_et"]
        if support not in registry.ets:
            continue
        ets = {row["finess_et"] for row in rows}
        ejs = {row["finess_ej"] for row in rows}
        if support in ets or registry.et_ej.get(support) in ejs:
            continue
        checked.issues.append(
            _warning(
                file,
                min(row["line"] for row in rows),
                "finess_support",
                f"l'établissement support {support} n'est pas parmi les membres du GHT « {code} »",
            )
        )


def _warning(file: str, line: int, column: str, reason: str) -> Issue:
    return Issue(file, line, column, reason, WARNING)
