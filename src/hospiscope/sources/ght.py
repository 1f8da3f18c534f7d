"""The composition of the groupements hospitaliers de territoire (GHT): which legal entities
(FINESS EJ) or geographic establishments (FINESS ET) belong to which GHT, and its support
establishment. No national file in a fixed layout is in our sources: hospiscope reads this
documented layout of its own (docs/formats.md), which the demo also writes:

    code_ght;nom_ght;finess_support;finess_membre;type_finess_membre

`;`-separated, header line, one line per member. `finess_support` (ET, or EJ: then one of its
ETs is taken, warehouse/ght_registry.py) is repeated on every line of its GHT, as is
`nom_ght`; `type_finess_membre` is `EJ` or `ET`, or empty (then read from the registry).
This module checks the file alone (formats, one name and one support per GHT, a member once);
what needs the registry (unknown numbers, EJ or ET) is checked in warehouse/ght_registry.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hospiscope.sources.issues import Issue
from hospiscope.sources.tabular import LINE, Field, Layout, read_table
from hospiscope.sources.textfile import Encoding

KIND = "ght"  # import_runs.kind
LAYOUT = Layout(
    name="ght",
    label="composition des GHT",
    fields=(
        Field("code_ght", "ght_code", "text"),
        Field("nom_ght", "ght_name", "text"),
        Field("finess_support", "support", "finess"),
        Field("finess_membre", "member", "finess"),
        Field("type_finess_membre", "member_type", "choice", required=False, choices=("EJ", "ET")),
    ),
    key=(),  # duplicates are checked below, with messages of their own
)
HEADER = LAYOUT.header

# `ght_members.origin`: where a composition comes from, and how every page that shows it
# names it (French).
IMPORTED = "import"
DEMO = "hypothese_demo"
ORIGIN_LABELS = {
    IMPORTED: "composition des GHT importée",
    DEMO: (
        "composition des GHT supposée par hospiscope pour la démonstration (hypothèse "
        "hospiscope, pas la liste officielle) : les établissements publics d'un département, "
        "ou de deux petits départements voisins, regroupés autour du plus grand hôpital public"
    ),
}


def origin_label(origin: str | None) -> str:
    """The French wording of a composition's origin (shown wherever the composition is)."""
    return ORIGIN_LABELS.get(origin or "", ORIGIN_LABELS[IMPORTED])


@dataclass(frozen=True)
class Member:
    """One line of the file: a member of a GHT, as written."""

    line: int
    ght_code: str
    ght_name: str
    support: str  # FINESS ET or EJ
    member: str  # FINESS ET or EJ
    member_type: str | None  # "EJ", "ET", or None: read from the registry


def read_ght(path: Path, encoding: Encoding | None = None) -> tuple[list[Member], list[Issue]]:
    """The members of the file that pass every check of the file alone, and every problem
    found (file, line, column, reason)."""
    rows, issues = read_table(path, LAYOUT, encoding, with_lines=True)
    members = [
        Member(
            row[LINE],
            row["ght_code"],
            row["ght_name"],
            row["support"],
            row["member"],
            row["member_type"],
        )
        for row in rows
    ]
    kept, found = check_composition(path.name, members)
    return kept, sorted(issues + found)


def check_composition(file: str, members: list[Member]) -> tuple[list[Member], list[Issue]]:
    """Refuse a line that gives its GHT another name or support than its first line does, or
    that repeats a member (in the same GHT or in another: an establishment belongs to one
    GHT)."""
    first: dict[str, Member] = {}  # GHT code → its first line
    seen: dict[str, Member] = {}  # member number → the line that put it in a GHT
    kept: list[Member] = []
    issues: list[Issue] = []
    for member in sorted(members, key=lambda m: m.line):
        problem = _conflict(first.setdefault(member.ght_code, member), member)
        problem = problem or _repeated(seen.get(member.member), member)
        if problem:
            column, reason = problem
            issues.append(Issue(file, member.line, column, reason))
            continue
        seen[member.member] = member
        kept.append(member)
    return kept, issues


def _conflict(first: Member, member: Member) -> tuple[str, str] | None:
    if member.ght_name != first.ght_name:
        return (
            "nom_ght",
            f"le GHT « {member.ght_code} » porte un autre nom ligne {first.line} "
            f"(« {first.ght_name} ») : un seul nom par GHT",
        )
    if member.support != first.support:
        return (
            "finess_support",
            f"le GHT « {member.ght_code} » a un autre établissement support ligne "
            f"{first.line} ({first.support}) : un seul support par GHT",
        )
    return None


def _repeated(earlier: Member | None, member: Member) -> tuple[str, str] | None:
    if earlier is None:
        return None
    if earlier.ght_code == member.ght_code:
        reason = f"membre en double dans le GHT « {member.ght_code} » (déjà ligne {earlier.line})"
    else:
        reason = (
            f"membre déjà rattaché au GHT « {earlier.ght_code} » ligne {earlier.line} : un "
            "établissement appartient à un seul GHT"
        )
    return "finess_membre", reason
